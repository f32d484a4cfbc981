import type { Conversation } from '../../api/types';
import { Avatar, PriorityBadge } from '../../components/ui';
import { customerName, fullTime, relativeTime } from '../../lib/format';
import { useIsUnread } from '../../lib/seen';
import { linkHandler } from '../../router';
import { ChannelBadge } from './channel-badge';
import { t } from './messages';
import { isUnread } from './queries';
import { SlaBadge } from './sla-badge';

interface Props {
  c: Conversation;
  selected: boolean;
  checked: boolean;
  selecting: boolean;
  onToggle(): void;
  href: string;
}

/** One inbox row: who, what, when, where from (channel), how urgent (priority, SLA) and whether it is unread. */
export function ConversationRow({ c, selected, checked, selecting, onToggle, href }: Props) {
  // The server's per-agent read marker when the row has one; this browser's memory otherwise.
  const seenHere = !useIsUnread(c.id, c.lastActivityAt);
  const unread = (isUnread(c) ?? !seenHere) && !selected;
  const name = customerName(c.customer);
  return (
    <div className={`row-wrap${checked ? ' checked' : ''}${selecting ? ' selecting' : ''}`}>
      <label className="row-check" title={t('select', { n: c.number })}>
        <input type="checkbox" checked={checked} onChange={onToggle} aria-label={t('select', { n: c.number })} />
      </label>
      <a
        href={href}
        onClick={linkHandler(href)}
        className={`row${selected ? ' selected' : ''}${unread ? ' unread' : ''}`}
        aria-current={selected ? 'true' : undefined}
        data-conversation-id={c.id}
      >
        <Avatar name={name} size={34} />
        <div className="row-main">
          <div className="row-top">
            <span className="row-name">{name}</span>
            <time className="row-time" dateTime={c.lastActivityAt} title={fullTime(c.lastActivityAt)}>
              {relativeTime(c.lastActivityAt)}
            </time>
          </div>
          <div className="row-subject">
            <span className="row-number">#{c.number}</span> {c.subject || 'No subject'}
          </div>
          <div className="row-bottom">
            <span className="row-preview">{c.lastMessagePreview || 'No messages yet'}</span>
            {unread && <span className="unread-dot" role="img" aria-label={t('unread')} />}
          </div>
          <div className="row-badges">
            <ChannelBadge channelId={c.channelId} />
            <PriorityBadge priority={c.priority} />
            <SlaBadge sla={(c as ConversationWithSla).sla} />
          </div>
        </div>
      </a>
    </div>
  );
}

/** The list's SLA summary (nearest target), when the server sends one. */
export interface SlaSummary {
  state: 'running' | 'breached' | 'paused' | 'met' | null;
  dueAt: string | null;
}
export type ConversationWithSla = Conversation & { sla?: SlaSummary | null };
