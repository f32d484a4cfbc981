import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { relatedConversations } from '../api/customer-links';
import { defineMessages } from '../i18n';
import { fullTime, relativeTime } from '../lib/format';
import { linkHandler } from '../router';
import { HashIcon, MailIcon, MessageIcon, PhoneIcon } from './icons';
import { Spinner, StatusBadge } from './ui';

const t = defineMessages('customers.recent', {
  failed: 'Could not load recent conversations.',
  none: 'No other conversations in the last 30 days.',
  label: 'Recent conversations of this customer',
});

const CHANNEL_ICON: Record<string, (p: { size?: number }) => ReactNode> = {
  email: MailIcon,
  voice: PhoneIcon,
  sms: PhoneIcon,
  web: MessageIcon,
  whatsapp: MessageIcon,
  messenger: MessageIcon,
  instagram: MessageIcon,
  telegram: MessageIcon,
};

/**
 * The customer's other conversations of the last 30 days on every channel (the server merges profiles in), so
 * an agent opening a new one sees the chat and the email that came before it. Cached under
 * ['conversation', id, 'related', refreshKey]: anything that invalidates the conversation refreshes it, and a new
 * `refreshKey` (the conversation's customer after a merge) reads it again without remounting.
 */
export function RecentConversations({ conversationId, refreshKey }: { conversationId: string; refreshKey?: string | number | null }) {
  const query = useQuery({
    queryKey: ['conversation', conversationId, 'related', refreshKey ?? null],
    queryFn: ({ signal }) => relatedConversations(conversationId, signal),
  });
  if (query.isError) return <p className="muted small">{t('failed')}</p>;
  if (!query.data) return <Spinner />;
  const items = query.data.data;
  if (items.length === 0) return <p className="muted small">{t('none')}</p>;
  return (
    <ul className="recent-list" aria-label={t('label')}>
      {items.map((r) => {
        const Icon = CHANNEL_ICON[r.channel.kind] ?? HashIcon;
        const href = `/inbox/${r.id}`;
        return (
          <li key={r.id}>
            <a href={href} onClick={linkHandler(href)} className="recent-item">
              <span className="recent-top">
                <span className="recent-channel" title={`${r.channel.name} (${r.channel.kind})`}>
                  <Icon size={13} /> {r.channel.name}
                </span>
                <StatusBadge status={r.status} />
                <time className="recent-time" dateTime={r.lastMessageAt} title={fullTime(r.lastMessageAt)}>
                  {relativeTime(r.lastMessageAt)}
                </time>
              </span>
              <span className="recent-subject truncate">
                #{r.number}
                {r.subject ? ` · ${r.subject}` : ''}
              </span>
              {r.lastMessagePreview && <span className="recent-preview truncate">{r.lastMessagePreview}</span>}
            </a>
          </li>
        );
      })}
    </ul>
  );
}
