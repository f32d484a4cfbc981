import { useEffect, useState, type ReactNode } from 'react';
import { relatedConversations, type RelatedConversation } from '../api/customer-links';
import { fullTime, relativeTime } from '../lib/format';
import { linkHandler } from '../router';
import { HashIcon, MailIcon, MessageIcon, PhoneIcon } from './icons';
import { Spinner, StatusBadge } from './ui';

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
 * an agent opening a new one sees the chat and the email that came before it. `refreshKey` refetches (new
 * message, status change) without remounting.
 */
export function RecentConversations({ conversationId, refreshKey }: { conversationId: string; refreshKey?: unknown }) {
  const [items, setItems] = useState<RelatedConversation[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let cancelled = false;
    relatedConversations(conversationId)
      .then((res) => {
        if (cancelled) return;
        setItems(res.data);
        setFailed(false);
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
  }, [conversationId, refreshKey]);

  if (failed) return <p className="muted small">Could not load recent conversations.</p>;
  if (!items) return <Spinner />;
  if (items.length === 0) return <p className="muted small">No other conversations in the last 30 days.</p>;
  return (
    <ul className="recent-list">
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
