import { useRef, useState, type KeyboardEvent } from 'react';
import { errorMessage } from '../../api/client';
import type { TimelineItem, TimelineKind } from '../../api/customer-links';
import { ActivityIcon, MessageIcon, PhoneIcon } from '../../components/icons';
import { EmptyState, Spinner, StatusBadge } from '../../components/ui';
import { capitalize, fullTime, relativeTime } from '../../lib/format';
import { linkHandler } from '../../router';
import { useMe } from '../../session';
import { ChannelBadge } from '../inbox/channel-badge';
import { t } from './messages';
import { useTimeline, useUserNames } from './queries';

/** The timeline's views: the customer's conversations on every channel, or everything that happened. */
const VIEWS: { id: string; kind: TimelineKind | undefined; label: () => string }[] = [
  { id: 'conversations', kind: 'conversation', label: () => t('viewConversations') },
  { id: 'all', kind: undefined, label: () => t('viewAll') },
];

const EVENT_LABEL: Record<string, () => string> = {
  'customer.created': () => t('evCreated'),
  'customer.updated': () => t('evUpdated'),
  'customer.identity_added': () => t('evIdentityAdded'),
  'customer.merged': () => t('evMerged'),
  'conversation.status_changed': () => t('evStatus'),
  'conversation.assigned': () => t('evAssigned'),
  'conversation.tags_changed': () => t('evTags'),
  'conversation.priority_changed': () => t('evPriority'),
  'conversation.snoozed': () => t('evSnoozed'),
};

export function CustomerTimeline({ customerId }: { customerId: string }) {
  const [view, setView] = useState(VIEWS[0]!);
  const { query, items } = useTimeline(customerId, view.kind);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const names = useUserNames();
  const me = useMe();
  const authorName = (id: string | null) => (id === me.user.id ? t('you') : id ? (names.get(id) ?? null) : null);

  function onTabKey(e: KeyboardEvent, i: number) {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    const next = (i + (e.key === 'ArrowRight' ? 1 : VIEWS.length - 1)) % VIEWS.length;
    setView(VIEWS[next]!);
    tabs.current[next]?.focus();
  }

  return (
    <section className="c360-timeline" aria-labelledby="c360-timeline-title">
      <div className="c360-timeline-head">
        <h3 className="section-title" id="c360-timeline-title">
          {t('history')}
        </h3>
        <div className="segmented c360-views" role="tablist" aria-label={t('history')}>
          {VIEWS.map((v, i) => (
            <button
              key={v.id}
              ref={(el) => {
                tabs.current[i] = el;
              }}
              type="button"
              role="tab"
              id={`c360-tab-${v.id}`}
              aria-selected={v.id === view.id}
              aria-controls="c360-timeline-panel"
              tabIndex={v.id === view.id ? 0 : -1}
              className={v.id === view.id ? 'segment active' : 'segment'}
              onClick={() => setView(v)}
              onKeyDown={(e) => onTabKey(e, i)}
            >
              {v.label()}
            </button>
          ))}
        </div>
      </div>
      <div id="c360-timeline-panel" role="tabpanel" aria-labelledby={`c360-tab-${view.id}`}>
        {query.isPending ? (
          <Spinner />
        ) : query.isError ? (
          <div className="alert alert-error" role="alert">
            {errorMessage(query.error)}{' '}
            <button type="button" className="link-button" onClick={() => void query.refetch()}>
              {t('retry')}
            </button>
          </div>
        ) : items.length === 0 ? (
          <EmptyState icon={<ActivityIcon size={22} />} title={view.kind === 'conversation' ? t('noConversations') : t('nothingYet')}>
            {view.kind === 'conversation' ? t('noConversationsText') : t('nothingYetText')}
          </EmptyState>
        ) : (
          <ol className="timeline" aria-busy={query.isFetching}>
            {items.map((item) => (
              <TimelineRow key={`${item.kind}-${item.id}`} item={item} authorName={authorName} />
            ))}
          </ol>
        )}
        {query.hasNextPage && (
          <div className="load-more">
            <button
              type="button"
              className="button ghost small"
              onClick={() => void query.fetchNextPage()}
              disabled={query.isFetchingNextPage}
            >
              {query.isFetchingNextPage ? t('loading') : t('showOlder')}
            </button>
          </div>
        )}
      </div>
    </section>
  );
}

/** One past conversation: channel, status, number and subject, last activity; it opens in the inbox. */
function ConversationRow({ item }: { item: Extract<TimelineItem, { kind: 'conversation' }> }) {
  const href = `/inbox/${item.id}`;
  return (
    <li className="timeline-item kind-conversation" data-conversation-id={item.id}>
      <span className="timeline-icon">
        <MessageIcon size={14} />
      </span>
      <div className="timeline-main">
        <div className="timeline-top">
          <a href={href} onClick={linkHandler(href)} className="timeline-title truncate">
            #{item.number}
            {item.subject ? ` · ${item.subject}` : ''}
          </a>
          <time className="timeline-time" dateTime={item.lastActivityAt} title={fullTime(item.lastActivityAt)}>
            {relativeTime(item.lastActivityAt)}
          </time>
        </div>
        <div className="timeline-badges">
          <ChannelBadge channelId={item.channelId} />
          <StatusBadge status={item.status} />
          <span className="muted small">{item.messageCount === 1 ? t('oneMessage') : t('messageCount', { n: item.messageCount })}</span>
        </div>
        {item.lastMessagePreview && <div className="timeline-body">{item.lastMessagePreview}</div>}
      </div>
    </li>
  );
}

/** One timeline entry; every field is rendered as text (React escapes it). */
function TimelineRow({ item, authorName }: { item: TimelineItem; authorName(userId: string | null): string | null }) {
  if (item.kind === 'conversation') return <ConversationRow item={item} />;
  let icon = <ActivityIcon size={14} />;
  let title: string;
  let body: string | null = null;
  let href: string | null = null;
  let channelId: string | null = null;
  if (item.kind === 'message') {
    icon = <MessageIcon size={14} />;
    title = item.messageKind === 'incoming' ? t('customerWrote') : item.messageKind === 'note' ? t('internalNote') : t('teamReplied');
    body = item.body;
    href = `/inbox/${item.conversationId}`;
    channelId = item.channelId;
  } else if (item.kind === 'note') {
    const author = authorName(item.authorUserId);
    title = author ? t('noteBy', { name: author }) : t('noteAbout');
    body = item.body;
  } else if (item.kind === 'call') {
    icon = <PhoneIcon size={14} />;
    title =
      item.direction === 'outbound'
        ? t('callTo', { who: item.to ?? t('unknownNumber') })
        : t('callFrom', { who: item.from ?? t('unknownNumber') });
    body = [item.status, item.durationSeconds !== null ? `${item.durationSeconds} s` : null, item.queue].filter(Boolean).join(' · ');
    href = item.conversationId ? `/inbox/${item.conversationId}` : null;
    channelId = item.channelId;
  } else {
    title = EVENT_LABEL[item.type]?.() ?? capitalize(item.type.replace(/[._]/g, ' '));
    href = item.conversationId ? `/inbox/${item.conversationId}` : null;
  }
  return (
    <li className={`timeline-item kind-${item.kind}`}>
      <span className="timeline-icon">{icon}</span>
      <div className="timeline-main">
        <div className="timeline-top">
          {href ? (
            <a href={href} onClick={linkHandler(href)} className="timeline-title">
              {title}
            </a>
          ) : (
            <span className="timeline-title">{title}</span>
          )}
          {channelId && <ChannelBadge channelId={channelId} />}
          <time className="timeline-time" dateTime={item.at} title={fullTime(item.at)}>
            {relativeTime(item.at)}
          </time>
        </div>
        {body && <div className="timeline-body">{body}</div>}
      </div>
    </li>
  );
}
