import { useEffect, useRef } from 'react';
import type { Conversation } from '../../api/types';
import { CheckIcon, InboxIcon, PlusIcon } from '../../components/icons';
import { Avatar, EmptyState, Kbd, PriorityBadge, Spinner } from '../../components/ui';
import { customerName, fullTime, relativeTime } from '../../lib/format';
import { useIsUnread } from '../../lib/seen';
import { linkHandler, navigate } from '../../router';
import { filterQuery, STATUS_EMPTY, STATUSES, VIEWS, type InboxFilter } from './filters';
import type { ConversationList } from './use-conversation-list';

interface Props {
  filter: InboxFilter;
  list: ConversationList;
  selectedId: string | null;
  onNew(): void;
}

export function ConversationListPane({ filter, list, selectedId, onNew }: Props) {
  const base = selectedId ? `/inbox/${selectedId}` : '/inbox';
  const empty = STATUS_EMPTY[filter.status];
  return (
    <section className="list-pane" aria-label="Conversations">
      <header className="pane-header">
        <h1 className="pane-title">Inbox</h1>
        <button type="button" className="button primary small" onClick={onNew} title="New conversation (C)">
          <PlusIcon size={14} /> New
        </button>
      </header>
      <div className="tabs" role="tablist" aria-label="Status">
        {STATUSES.map((s) => (
          <a
            key={s.value}
            role="tab"
            aria-selected={filter.status === s.value}
            className={filter.status === s.value ? 'tab active' : 'tab'}
            href={`${base}${filterQuery({ ...filter, status: s.value })}`}
            onClick={linkHandler(`${base}${filterQuery({ ...filter, status: s.value })}`)}
          >
            {s.label}
          </a>
        ))}
      </div>
      <div className="segmented" role="radiogroup" aria-label="Assignee">
        {VIEWS.map((v) => (
          <button
            key={v.value}
            type="button"
            role="radio"
            aria-checked={filter.view === v.value}
            className={filter.view === v.value ? 'segment active' : 'segment'}
            onClick={() => {
              localStorage.setItem('tp.inbox.view', v.value);
              navigate(`${base}${filterQuery({ ...filter, view: v.value })}`);
            }}
          >
            {v.label}
          </button>
        ))}
      </div>
      <div className="list-scroll">
        {list.loading ? (
          <div className="center-pad">
            <Spinner />
          </div>
        ) : list.error ? (
          <div className="alert alert-error inset">
            {list.error}{' '}
            <button type="button" className="link-button" onClick={list.reload}>
              Retry
            </button>
          </div>
        ) : list.items.length === 0 ? (
          <EmptyState
            icon={filter.status === 'open' ? <CheckIcon size={22} /> : <InboxIcon size={22} />}
            title={empty.title}
            action={
              filter.status === 'open' ? (
                <span className="muted small">
                  Press <Kbd>C</Kbd> to start a conversation
                </span>
              ) : undefined
            }
          >
            {empty.text}
          </EmptyState>
        ) : (
          <ul className="conversation-list" data-testid="conversation-list">
            {list.items.map((c) => (
              <ConversationRow key={c.id} c={c} selected={c.id === selectedId} href={`/inbox/${c.id}${filterQuery(filter)}`} />
            ))}
          </ul>
        )}
        {!list.loading && list.hasMore && <LoadMore onLoad={list.loadMore} busy={list.loadingMore} />}
      </div>
    </section>
  );
}

function ConversationRow({ c, selected, href }: { c: Conversation; selected: boolean; href: string }) {
  const unread = useIsUnread(c.id, c.lastActivityAt) && !selected;
  const name = customerName(c.customer);
  const ref = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    if (selected) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  return (
    <li>
      <a
        ref={ref}
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
            <PriorityBadge priority={c.priority} />
            {unread && <span className="unread-dot" aria-label="Unread" />}
          </div>
        </div>
      </a>
    </li>
  );
}

/** A button for keyboards and screen readers, which also fires by itself when scrolled into view. */
function LoadMore({ onLoad, busy }: { onLoad(): void; busy: boolean }) {
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && onLoad(), { rootMargin: '120px' });
    io.observe(el);
    return () => io.disconnect();
  }, [onLoad]);
  return (
    <div className="load-more">
      <button ref={ref} type="button" className="button ghost small" onClick={onLoad} disabled={busy}>
        {busy ? 'Loading…' : 'Load more'}
      </button>
    </div>
  );
}
