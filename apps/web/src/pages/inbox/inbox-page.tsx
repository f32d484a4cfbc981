import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { auth } from '../../api/endpoints';
import type { User } from '../../api/types';
import { InboxIcon } from '../../components/icons';
import { EmptyState, Kbd } from '../../components/ui';
import { navigate } from '../../router';
import { useMe } from '../../session';
import { ConversationListPane } from './conversation-list';
import { ConversationView, isTyping } from './conversation-view';
import { filterOf, filterQuery } from './filters';
import { t } from './messages';
import { NewConversationDialog } from './new-conversation-dialog';
import { applyConversation, useConversationList, useInboxRealtime } from './queries';
import { useViewer } from './reference-data';
import { SearchResults } from './search';
import { useInboxSearch } from './use-inbox-search';
import './inbox.css';

export function InboxPage() {
  const me = useMe();
  const conversationId = useParams({ strict: false }).conversationId ?? null;
  const [search, setSearch] = useInboxSearch();
  const filter = filterOf(search);
  const { query: list, items } = useConversationList(filter);
  const qc = useQueryClient();
  const who = useViewer();
  const [creating, setCreating] = useState(false);
  const users = useTeammates();
  useInboxRealtime(me.account.id, who);

  // Keyboard: J/K move through the list, C starts a conversation.
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
    // On a phone the list and the conversation are two stacked screens: `has-conversation` shows the second.
    <div className={conversationId ? 'inbox has-conversation' : 'inbox'}>
      <ConversationListPane
        filter={filter}
        list={list}
        items={items}
        users={users}
        selectedId={conversationId}
        search={search.q}
        onSearch={(q) => setSearch({ q })}
        searchResults={search.q ? <SearchResults q={search.q} selectedId={conversationId} /> : null}
        onNew={() => setCreating(true)}
      />
      {conversationId ? (
        <ConversationView key={conversationId} id={conversationId} users={users} backHref={`/inbox${filterQuery(filter)}`} />
      ) : (
        <div className="detail-pane">
          <EmptyState icon={<InboxIcon size={22} />} title={t('selectConversation')}>
            <p>{t('selectConversationText')}</p>
            <p className="shortcuts">
              <span>
                <Kbd>J</Kbd> <Kbd>K</Kbd> {t('shortcutMove')}
              </span>
              <span>
                <Kbd>C</Kbd> {t('shortcutNew')}
              </span>
              <span>
                <Kbd>R</Kbd> {t('shortcutReply')}
              </span>
              <span>
                <Kbd>E</Kbd> {t('shortcutResolve')}
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
            applyConversation(qc, c, who);
            navigate(`/inbox/${c.id}${filterQuery({ ...filter, status: c.status })}`);
          }}
        />
      )}
    </div>
  );
}

/** Teammates for names in the thread and the assignee picker; a role that cannot list users just sees fewer names. */
export function useTeammates(): User[] {
  const me = useMe();
  const { data } = useQuery({ queryKey: ['users', 'active'], queryFn: () => auth.users(), staleTime: 5 * 60_000 });
  return useMemo(() => {
    const list = ((data?.data ?? []) as User[]).filter((u) => u.active !== false);
    const self = { id: me.user.id, name: me.user.name, email: me.user.email };
    return list.some((u) => u.id === me.user.id) ? list : [self, ...list];
  }, [data, me.user]);
}
