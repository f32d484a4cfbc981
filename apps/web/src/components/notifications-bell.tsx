import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Notification } from '@touchpoint/shared';
import { useCallback, useMemo } from 'react';
import { api, errorMessage } from '../api/client';
import { auth } from '../api/endpoints';
import type { RealtimeEvent, User } from '../api/types';
import { useRealtime } from '../hooks/useRealtime';
import { defineMessages } from '../i18n';
import { fullTime, relativeTime } from '../lib/format';
import { navigate } from '../router';
import { useMe } from '../session';
import { useDismissable } from './menu';
import { useToast } from './toast';
import './notifications-bell.css';

const t = defineMessages('components.notifications', {
  title: 'Notifications',
  withUnread: 'Notifications, {n} unread',
  markAll: 'Mark all read',
  empty: 'Nothing yet. You are notified when a teammate @mentions you in a note or assigns you a conversation.',
  mentioned: '{who} mentioned you in #{n}',
  assigned: '{who} assigned you #{n}',
  someone: 'Someone',
  automation: 'Automation',
  routing: 'Routing',
  integration: 'An integration',
  noSubject: 'No subject',
});

interface NotificationPage {
  data: Notification[];
  page: { nextCursor: string | null; limit: number };
  unreadCount: number;
}

const KEY = ['notifications'] as const;

function whoOf(n: Notification, users: Map<string, User>): string {
  if (n.actor.kind === 'user') return (n.actor.id && users.get(n.actor.id)?.name) || t('someone');
  if (n.actor.kind === 'automation') return t('automation');
  if (n.actor.kind === 'system') return t('routing');
  if (n.actor.kind === 'api_key') return t('integration');
  return t('someone');
}

/**
 * The bell: my notifications (mentions in notes, conversations assigned to me) with the unread count, live on
 * `user:<me>`. Opening one marks it read and opens its conversation; "Mark all read" clears the badge everywhere.
 * The lead places it in the sidebar (components/layout.tsx).
 */
export function NotificationsBell({
  className = '',
  placement = 'down',
}: {
  className?: string;
  /** Where the list opens from the button: below, above (a sidebar's bottom), or to its right (a sidebar's top). */
  placement?: 'down' | 'up' | 'right';
}) {
  const me = useMe();
  const qc = useQueryClient();
  const toast = useToast();
  const { open, setOpen, ref } = useDismissable();
  const query = useQuery({ queryKey: KEY, queryFn: () => api.get<NotificationPage>('/notifications', { limit: 20 }), staleTime: 60_000 });
  // The same list (and key) as the inbox's teammates, for names.
  const teammates = useQuery({ queryKey: ['users', 'active'], queryFn: () => auth.users(), staleTime: 5 * 60_000 });
  const users = useMemo(() => new Map(((teammates.data?.data ?? []) as User[]).map((u) => [u.id, u])), [teammates.data]);

  const refresh = useCallback(() => void qc.invalidateQueries({ queryKey: KEY }), [qc]);
  const onEvent = useCallback(
    (e: RealtimeEvent) => {
      if ((e.type === 'notification.created' || e.type === 'notification.read') && e.payload.userId === me.user.id) refresh();
    },
    [me.user.id, refresh],
  );
  useRealtime([`user:${me.user.id}`], onEvent, refresh);

  const unread = query.data?.unreadCount ?? 0;
  const items = query.data?.data ?? [];

  const markRead = async (body: { ids: string[] } | { all: true }) => {
    // Optimistic: the badge drops at once; the server's answer (and the realtime event) confirm it.
    qc.setQueryData<NotificationPage>(KEY, (prev) => {
      if (!prev) return prev;
      const now = new Date().toISOString();
      const hit = (n: Notification) => 'all' in body || body.ids.includes(n.id);
      const data = prev.data.map((n) => (hit(n) && !n.readAt ? { ...n, readAt: now } : n));
      const dropped = prev.data.filter((n) => hit(n) && !n.readAt).length;
      return { ...prev, data, unreadCount: 'all' in body ? 0 : Math.max(0, prev.unreadCount - dropped) };
    });
    try {
      await api.post('/notifications/read', body);
    } catch (err) {
      toast(errorMessage(err));
      refresh();
    }
  };

  const openOne = (n: Notification) => {
    setOpen(false);
    if (!n.readAt) void markRead({ ids: [n.id] });
    navigate(`/inbox/${n.conversationId}`);
  };

  return (
    <div className={`menu-anchor notifications ${className}`} ref={ref}>
      <button
        type="button"
        className="icon-button notifications-button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-label={unread ? t('withUnread', { n: unread }) : t('title')}
        title={t('title')}
        onClick={() => setOpen((o) => !o)}
        data-testid="notifications-bell"
      >
        <BellIcon />
        {unread > 0 && (
          <span className="notifications-count" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <div className={`notifications-panel from-${placement}`} role="dialog" aria-label={t('title')}>
          <div className="notifications-head">
            <h2>{t('title')}</h2>
            {unread > 0 && (
              <button type="button" className="link-button" onClick={() => void markRead({ all: true })}>
                {t('markAll')}
              </button>
            )}
          </div>
          {items.length === 0 ? (
            <p className="notifications-empty">{query.error ? errorMessage(query.error) : t('empty')}</p>
          ) : (
            <ul className="notifications-list">
              {items.map((n) => (
                <li key={n.id}>
                  <button
                    type="button"
                    className={n.readAt ? 'notification' : 'notification unread'}
                    onClick={() => openOne(n)}
                    data-testid="notification"
                  >
                    <span className="notification-line">
                      <span className="notification-title">
                        {t(n.kind === 'mention' ? 'mentioned' : 'assigned', { who: whoOf(n, users), n: n.conversation.number })}
                      </span>
                      <time dateTime={n.createdAt} title={fullTime(n.createdAt)}>
                        {relativeTime(n.createdAt)}
                      </time>
                    </span>
                    <span className="notification-subject">{n.conversation.subject || t('noSubject')}</span>
                    {n.preview && <span className="notification-preview">{n.preview}</span>}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

function BellIcon() {
  return (
    <svg
      width="18"
      height="18"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}
