import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { api } from '../api/client';
import type { Conversation, Page, RealtimeEvent } from '../api/types';
import { seenSnapshot, subscribeSeen } from '../lib/seen';
import { navigate } from '../router';
import { useMe } from '../session';
import { notifyDesktop, playChime } from './useNotifyPrefs';
import { useRealtime } from './useRealtime';

const BASE_TITLE = 'Touchpoint';

/**
 * Tells the agent about work that became theirs while they looked elsewhere:
 *  - the tab title counts their open conversations with unread activity ("(3) Touchpoint"),
 *  - a new assignment by someone else (a teammate, routing, automation) plays a chime and shows a desktop
 *    notification, each only when they opted in (Settings → My preferences); clicking it opens the conversation.
 */
export function useAssignmentAlerts(): void {
  const me = useMe();
  // The same first page the inbox shows for "Mine · Open", so the cache is shared when both are on screen.
  const mine = useQuery({
    queryKey: ['alerts', 'mine-open'],
    queryFn: () => api.get<Page<Conversation>>('/conversations', { status: 'open', assigneeId: 'me', limit: 50 }),
    staleTime: 15_000,
  });
  const seen = useSyncExternalStore(subscribeSeen, seenSnapshot);
  const list = mine.data?.data ?? [];
  const unread = list.filter((c) => !seen[c.id] || seen[c.id]! < c.lastActivityAt).length;

  useEffect(() => {
    document.title = unread > 0 ? `(${unread >= 50 ? '50+' : unread}) ${BASE_TITLE}` : BASE_TITLE;
  }, [unread]);
  useEffect(() => () => void (document.title = BASE_TITLE), []);

  const { refetch } = mine;
  const onEvent = useCallback(
    (e: RealtimeEvent) => {
      if (e.type === 'message.created' || e.type === 'conversation.status_changed') void refetch();
      if (e.type !== 'conversation.assigned') return;
      if (e.payload.assigneeId === me.user.id || e.payload.previous.assigneeId === me.user.id) void refetch();
      const byMe = e.actor.kind === 'user' && e.actor.id === me.user.id;
      if (e.payload.assigneeId !== me.user.id || e.payload.previous.assigneeId === me.user.id || byMe) return;
      const c = e.payload.conversation;
      playChime();
      const n = notifyDesktop(`New conversation assigned: #${c.number}`, {
        body: c.subject || c.lastMessagePreview || '',
        tag: `assigned-${c.id}`,
      });
      if (n)
        n.onclick = () => {
          window.focus();
          navigate(`/inbox/${c.id}`);
          n.close();
        };
    },
    [me.user.id, refetch],
  );
  useRealtime([`account:${me.account.id}`], onEvent, () => void refetch());
}
