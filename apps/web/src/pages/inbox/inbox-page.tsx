import { useCallback, useEffect, useRef, useState } from 'react';
import { auth } from '../../api/endpoints';
import { conversationOf, type RealtimeEvent, type User } from '../../api/types';
import { InboxIcon } from '../../components/icons';
import { EmptyState, Kbd } from '../../components/ui';
import { useRealtime } from '../../hooks/useRealtime';
import { useParams, useSearch } from '@tanstack/react-router';
import { navigate } from '../../router';
import { useMe } from '../../session';
import { ConversationListPane } from './conversation-list';
import { ConversationView, isTyping } from './conversation-view';
import { filterOf, filterQuery } from './filters';
import { NewConversationDialog } from './new-conversation-dialog';
import { useConversationList } from './use-conversation-list';

export function InboxPage() {
  const me = useMe();
  const conversationId = useParams({ strict: false }).conversationId ?? null;
  const filter = filterOf(useSearch({ strict: false }));
  const list = useConversationList(filter, me.user.id);
  const [creating, setCreating] = useState(false);
  const users = useTeammates();

  // Events without a presented conversation still move the list; refetch once for a burst of them.
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const { upsert, reload } = list;
  const onEvent = useCallback(
    (e: RealtimeEvent) => {
      const c = conversationOf(e);
      if (c) upsert(c);
      else if (e.conversationId && (e.type.startsWith('conversation.') || e.type === 'message.created')) {
        if (refetchTimer.current) clearTimeout(refetchTimer.current);
        refetchTimer.current = setTimeout(reload, 300);
      }
    },
    [upsert, reload],
  );
  useRealtime([`account:${me.account.id}`], onEvent, reload);

  // Keyboard: J/K move through the list, C starts a conversation.
  const items = list.items;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.metaKey || e.ctrlKey || e.altKey || isTyping(e.target) || document.querySelector('dialog[open]')) return;
      if (e.key === 'c') {
        e.preventDefault();
        setCreating(true);
      } else if ((e.key === 'j' || e.key === 'k') && items.length > 0) {
        const i = items.findIndex((c) => c.id === conversationId);
        const next = e.key === 'j' ? Math.min(items.length - 1, i + 1) : Math.max(0, i === -1 ? 0 : i - 1);
        navigate(`/inbox/${items[next]!.id}${filterQuery(filter)}`);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items, conversationId, filter]);

  return (
    <div className="inbox">
      <ConversationListPane filter={filter} list={list} selectedId={conversationId} onNew={() => setCreating(true)} />
      {conversationId ? (
        <ConversationView key={conversationId} id={conversationId} users={users} onChange={upsert} />
      ) : (
        <div className="detail-pane">
          <EmptyState icon={<InboxIcon size={22} />} title="Select a conversation">
            <p>Pick one from the list to read and reply.</p>
            <p className="shortcuts">
              <span>
                <Kbd>J</Kbd> <Kbd>K</Kbd> move
              </span>
              <span>
                <Kbd>C</Kbd> new
              </span>
              <span>
                <Kbd>R</Kbd> reply
              </span>
              <span>
                <Kbd>E</Kbd> resolve
              </span>
            </p>
          </EmptyState>
        </div>
      )}
      {creating && (
        <NewConversationDialog
          onClose={() => setCreating(false)}
          onCreated={(c) => {
            setCreating(false);
            upsert(c);
            navigate(`/inbox/${c.id}${filterQuery({ ...filter, status: c.status })}`);
          }}
        />
      )}
    </div>
  );
}

/** Teammates for names in the thread and the assignee picker; a role that cannot list users just sees fewer names. */
function useTeammates(): User[] {
  const me = useMe();
  const [users, setUsers] = useState<User[]>([{ id: me.user.id, name: me.user.name, email: me.user.email }]);
  useEffect(() => {
    auth
      .users()
      .then((res) => {
        const list = (res.data as User[]).filter((u) => u.active !== false);
        if (list.length) setUsers(list.some((u) => u.id === me.user.id) ? list : [{ ...me.user }, ...list]);
      })
      .catch(() => {});
  }, [me.user]);
  return users;
}
