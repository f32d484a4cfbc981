import { Fragment, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { User } from '../../api/types';
import { MessageAttachments } from '../../components/attachments';
import { Avatar, EmptyState } from '../../components/ui';
import { MessageIcon } from '../../components/icons';
import { clockTime, dayLabel, fullTime } from '../../lib/format';
import { ChannelBadge } from './channel-badge';
import { ActivityLine } from './conversation/activity';
import type { ActivityItem } from './conversation/api';
import { withMentions } from './conversation/mentions';
import { EmailDetails, useChannelKinds } from './email-details';
import { t } from './messages';
import type { PendingMessage } from './queries';

interface Props {
  messages: PendingMessage[];
  customerName: string;
  users: Map<string, User>;
  hasOlder: boolean;
  onLoadOlder(): Promise<void>;
  /** The web chat visitor is typing (an ephemeral signal). */
  customerTyping?: boolean;
  /** Activity entries (newest first, as the API pages them), shown between the messages by time. */
  activity?: ActivityItem[];
  meId: string;
}

type Entry =
  | { at: string; id: string; message: PendingMessage; item?: undefined }
  | { at: string; id: string; item: ActivityItem; message?: undefined };

/**
 * Messages and activity entries in one time line. While older messages are not loaded, entries older than the oldest
 * loaded message wait with them (they would otherwise sit above a gap).
 */
function timeline(messages: PendingMessage[], activity: ActivityItem[], hasOlder: boolean): Entry[] {
  const oldest = messages[0]?.createdAt;
  const entries: Entry[] = messages.map((m) => ({ at: m.createdAt, id: m.id, message: m }));
  for (const item of activity) if (!hasOlder || !oldest || item.at >= oldest) entries.push({ at: item.at, id: item.id, item });
  return entries.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
}

const DELIVERY_LABELS: Record<string, Parameters<typeof t>[0]> = {
  pending: 'deliveryPending',
  sent: 'deliverySent',
  delivered: 'deliveryDelivered',
  read: 'deliveryRead',
  failed: 'deliveryFailed',
};

function deliveryLabel(status: string): string | undefined {
  const key = DELIVERY_LABELS[status];
  return key && t(key);
}

/** The thread: customer messages on the left, ours on the right, internal notes highlighted. */
export function MessageThread({ messages, customerName, users, hasOlder, onLoadOlder, customerTyping, activity = [], meId }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const channelKinds = useChannelKinds();
  const entries = useMemo(() => timeline(messages, activity, hasOlder), [messages, activity, hasOlder]);
  const teammates = useMemo(() => [...users.values()], [users]);
  // Channel badges per message only when the customer wrote or was answered on more than one channel.
  const multiChannel = useMemo(
    () => new Set(messages.filter((m) => m.kind !== 'note' && !m.pending).map((m) => m.channelId)).size > 1,
    [messages],
  );

  // Follow new messages only when the reader is already at the bottom (do not yank them while reading history).
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stickToBottom.current) el.scrollTop = el.scrollHeight;
  }, [entries, customerTyping]);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onScroll = () => (stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80);
    el.addEventListener('scroll', onScroll);
    return () => el.removeEventListener('scroll', onScroll);
  }, []);

  if (entries.length === 0) {
    return (
      <div className="thread" ref={scroller}>
        <EmptyState icon={<MessageIcon size={22} />} title={t('noMessages')}>
          {t('noMessagesText')}
        </EmptyState>
      </div>
    );
  }

  let lastDay = '';
  return (
    <div className="thread" ref={scroller} data-testid="thread">
      {hasOlder && (
        <div className="load-more">
          <button
            type="button"
            className="button ghost small"
            disabled={loadingOlder}
            onClick={() => {
              setLoadingOlder(true);
              void onLoadOlder().finally(() => setLoadingOlder(false));
            }}
          >
            {loadingOlder ? t('loading') : t('loadEarlier')}
          </button>
        </div>
      )}
      {entries.map((entry) => {
        const day = dayLabel(entry.at);
        const showDay = day !== lastDay;
        lastDay = day;
        const divider = showDay && (
          <div className="day-divider">
            <span>{day}</span>
          </div>
        );
        if (entry.item) {
          return (
            <Fragment key={entry.id}>
              {divider}
              <ActivityLine item={entry.item} meId={meId} />
            </Fragment>
          );
        }
        const m = entry.message;
        const author =
          m.kind === 'incoming' ? customerName : (m.authorUserId && users.get(m.authorUserId)?.name) || labelForAuthor(m.authorKind);
        return (
          <Fragment key={m.id}>
            {divider}
            <div className={`message ${m.kind}${m.pending ? ' pending' : ''}${m.failed ? ' failed' : ''}`} data-kind={m.kind}>
              {m.kind === 'incoming' && <Avatar name={customerName} size={28} />}
              <div className="bubble-wrap">
                <div className="message-meta">
                  <span className="message-author">{author}</span>
                  {m.kind === 'note' && <span className="note-label">{t('internalNote')}</span>}
                  {multiChannel && m.kind !== 'note' && m.channelId && <ChannelBadge channelId={m.channelId} />}
                  <time dateTime={m.createdAt} title={fullTime(m.createdAt)}>
                    {m.failed ? t('notSent') : m.pending ? t('sending') : clockTime(m.createdAt)}
                  </time>
                  {m.kind === 'outgoing' && m.deliveryStatus && (
                    <span className="delivery-status" data-status={m.deliveryStatus}>
                      {deliveryLabel(m.deliveryStatus)}
                    </span>
                  )}
                </div>
                {m.body && <div className="bubble">{m.kind === 'note' ? withMentions(m.body, teammates) : m.body}</div>}
                <MessageAttachments attachments={m.attachments} />
                {m.kind !== 'note' && !m.pending && channelKinds.get(m.channelId) === 'email' && (
                  <EmailDetails conversationId={m.conversationId} messageId={m.id} failed={m.deliveryStatus === 'failed'} />
                )}
              </div>
            </div>
          </Fragment>
        );
      })}
      {customerTyping && (
        <p className="typing-indicator muted small" data-testid="customer-typing">
          {t('typing', { name: customerName })}
        </p>
      )}
    </div>
  );
}

function labelForAuthor(kind: string): string {
  if (kind === 'bot') return t('authorBot');
  if (kind === 'automation') return t('authorAutomation');
  if (kind === 'system') return t('authorSystem');
  return t('authorTeam');
}
