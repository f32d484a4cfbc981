import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, errorMessage } from '../../api/client';
import { conversations } from '../../api/endpoints';
import type { Conversation, User } from '../../api/types';
import { SearchIcon } from '../../components/icons';
import { EmptyState, Spinner } from '../../components/ui';
import { useToast } from '../../components/toast';
import { useAbilities } from '../../hooks/useAbilities';
import { customerName, newClientId } from '../../lib/format';
import { useMe } from '../../session';
import { Composer, type ComposerHandle, type SendRequest } from './composer';
import { useActivity } from './conversation/activity';
import { pane, type MacroActions } from './conversation/api';
import { tm } from './conversation/macro-picker';
import { useConversationSla } from './conversation/sla-timers';
import { ConversationStrip } from './conversation/strip';
import { useViewers } from './conversation/viewers';
import { ConversationHeader } from './conversation-header';
import { DetailsPanel } from './details-panel';
import { MessageThread } from './message-thread';
import { applyConversation } from './queries';
import { useViewer } from './reference-data';
import { useConversation, useSendMessage } from './use-conversation';

const TYPING_SIGNAL_EVERY_MS = 2_500;

interface Props {
  id: string;
  users: User[];
  /** The list this conversation was opened from (the phone layout's back link). */
  backHref: string;
}

export function ConversationView({ id, users, backHref }: Props) {
  const me = useMe();
  const toast = useToast();
  const qc = useQueryClient();
  const { conversation: c, policies, messages, error, loadOlder, hasOlder, reload, customerTyping } = useConversation(id);
  const activity = useActivity(id);
  const sla = useConversationSla(id);
  const { viewers, signalNoteTyping } = useViewers(id, me.user.id);
  // Phones show the details panel as a screen of its own, over the thread.
  const [detailsOpen, setDetailsOpen] = useState(false);
  const sendMessage = useSendMessage(c);
  const who = useViewer();
  const apply = useCallback((updated: Conversation) => applyConversation(qc, updated, who), [qc, who]);
  const can = useAbilities(policies, id);
  const composer = useRef<ComposerHandle>(null);
  const usersById = useMemo(() => new Map(users.map((u) => [u.id, u])), [users]);
  const lastTypingSignal = useRef(0);

  /**
   * Typing: a reply tells the customer's web chat ("<first name> is typing…") and my teammates; a note only my
   * teammates (the viewing signal). At most one signal per 2.5 s, best effort.
   */
  const signalTyping = useCallback(
    (mode: 'reply' | 'note') => {
      if (mode === 'note') return signalNoteTyping();
      const now = Date.now();
      if (now - lastTypingSignal.current < TYPING_SIGNAL_EVERY_MS) return;
      lastTypingSignal.current = now;
      void api.post(`/conversations/${id}/typing`).catch(() => undefined);
    },
    [id, signalNoteTyping],
  );

  /** Runs an action that answers with the updated conversation; failures become a toast. */
  const act = useCallback(
    async (run: () => Promise<{ data: Conversation }>) => {
      try {
        apply((await run()).data);
      } catch (err) {
        toast(errorMessage(err));
      }
    },
    [apply, toast],
  );

  const send = useCallback(
    async (r: SendRequest): Promise<boolean> => {
      try {
        await sendMessage.mutateAsync({
          input: { body: r.body, kind: r.kind, files: r.files, mentions: r.mentions, channelId: r.channelId },
          clientMessageId: newClientId(),
        });
        return true;
      } catch (err) {
        toast(errorMessage(err));
        return false;
      }
    },
    [sendMessage, toast],
  );

  /**
   * A macro's actions, once its (edited) reply was sent: in the order the server's own apply uses (priority, tags,
   * team, status), each through the ordinary endpoints, so each is authorized, evented and visible to everyone.
   */
  const applyMacroActions = useCallback(
    async (actions: MacroActions) => {
      try {
        let current = c;
        if (actions.priority) current = (await conversations.update(id, { priority: actions.priority })).data;
        if (actions.addTags?.length) {
          const tags = [...new Set([...(current?.tags ?? []), ...actions.addTags.map((x) => x.trim().toLowerCase())])];
          current = (await conversations.setTags(id, tags)).data;
        }
        if (actions.teamId) current = (await pane.setTeam(id, actions.teamId)).data;
        if (actions.status) current = (await conversations.setStatus(id, actions.status)).data;
        if (current) apply(current);
      } catch (err) {
        toast(tm('actionsFailed', { reason: errorMessage(err) }));
      }
    },
    [apply, c, id, toast],
  );

  // Keyboard: R reply, N note, E resolve (when focus is not in a field).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.metaKey || e.ctrlKey || e.altKey || isTyping(e.target) || document.querySelector('dialog[open]')) return;
      if (e.key === 'r' || e.key === 'n') {
        e.preventDefault();
        composer.current?.focus(e.key === 'r' ? 'reply' : 'note');
      } else if (e.key === 'e' && c && c.status !== 'resolved' && can('change_status')) {
        void act(() => conversations.setStatus(id, 'resolved'));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [act, c, can, id]);

  if (error) {
    return (
      <div className="detail-pane">
        <EmptyState icon={<SearchIcon size={22} />} title={error.notFound ? 'Conversation not found' : 'Could not load this conversation'}>
          {error.notFound ? 'It may have been merged or you may not have access to it.' : error.text}
          {!error.notFound && (
            <div>
              <button type="button" className="button small" onClick={reload}>
                Retry
              </button>
            </div>
          )}
        </EmptyState>
      </div>
    );
  }
  if (!c) {
    return (
      <div className="detail-pane center">
        <Spinner />
      </div>
    );
  }

  return (
    <div className={detailsOpen ? 'detail-pane with-details details-open' : 'detail-pane with-details'}>
      <div className="conversation">
        <ConversationHeader
          c={c}
          meId={me.user.id}
          can={can}
          backHref={backHref}
          onShowDetails={() => setDetailsOpen(true)}
          actions={{
            setStatus: (status, until) => void act(() => conversations.setStatus(id, status, until?.toISOString())),
            assignToMe: () => void act(() => conversations.assign(id, me.user.id)),
            unassign: () => void act(() => conversations.assign(id, null)),
          }}
        />
        <ConversationStrip sla={sla} resolved={c.status === 'resolved'} viewers={viewers} />
        <MessageThread
          messages={messages}
          activity={activity.items}
          meId={me.user.id}
          customerName={customerName(c.customer)}
          users={usersById}
          hasOlder={hasOlder}
          onLoadOlder={async () => {
            await loadOlder();
            // One more page of activity with each page of messages, so entries keep up with the loaded history.
            if (activity.hasOlder) await activity.loadOlder();
          }}
          customerTyping={customerTyping}
        />
        <Composer
          ref={composer}
          conversationId={id}
          channelId={c.channelId}
          disabled={!can('reply')}
          canNote={can('note')}
          users={users}
          meId={me.user.id}
          onSend={send}
          onTyping={signalTyping}
          onMacroActions={applyMacroActions}
        />
      </div>
      <DetailsPanel
        onClose={() => setDetailsOpen(false)}
        c={c}
        users={users}
        can={can}
        sla={sla}
        onPriority={(priority) => void act(() => conversations.update(id, { priority }))}
        onAssign={(userId) => void act(() => conversations.assign(id, userId))}
        onTeam={(teamId) => void act(() => pane.setTeam(id, teamId))}
        onTags={(tags) => {
          apply({ ...c, tags });
          void act(() => conversations.setTags(id, tags));
        }}
      />
    </div>
  );
}

export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}
