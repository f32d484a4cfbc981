import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { errorMessage } from '../../api/client';
import type { Customer } from '../../api/customer-links';
import { SearchIcon, UsersIcon } from '../../components/icons';
import { Avatar, EmptyState, Spinner } from '../../components/ui';
import { customerName, relativeTime } from '../../lib/format';
import { linkHandler } from '../../router';
import { t } from './messages';
import type { useCustomerList } from './queries';

/** Row height before measuring (the virtualiser measures each row). */
const ESTIMATED_ROW = 58;

interface Props {
  list: ReturnType<typeof useCustomerList>['query'];
  items: Customer[];
  q: string;
  selectedId: string | null;
  hrefOf(id: string): string;
}

/**
 * The customers, virtualised (only the rows in view are in the DOM), fetching the next page as the end comes into
 * view. Arrow keys move between rows; each row is a link, so Enter opens it and a middle click opens a tab.
 */
export function CustomerList({ list, items, q, selectedId, hrefOf }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW,
    overscan: 8,
    getItemKey: (i) => items[i]!.id,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const last = virtualItems[virtualItems.length - 1];

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  useEffect(() => {
    if (last && last.index >= items.length - 5 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [last, items.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const selectedIndex = selectedId ? items.findIndex((c) => c.id === selectedId) : -1;
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  function onKeyDown(e: KeyboardEvent<HTMLUListElement>) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const row = (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
    if (!row) return;
    e.preventDefault();
    const next = Math.max(0, Math.min(items.length - 1, Number(row.dataset.index) + (e.key === 'ArrowDown' ? 1 : -1)));
    virtualizer.scrollToIndex(next, { align: 'auto' });
    requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-index="${next}"] a`)?.focus());
  }

  if (list.isPending) {
    return (
      <div className="center-pad">
        <Spinner />
      </div>
    );
  }
  if (list.isError) {
    return (
      <div className="alert alert-error inset" role="alert">
        {errorMessage(list.error)}{' '}
        <button type="button" className="link-button" onClick={() => void list.refetch()}>
          {t('retry')}
        </button>
      </div>
    );
  }
  if (items.length === 0) {
    return (
      <div className="list-scroll">
        {q ? (
          <EmptyState icon={<SearchIcon size={22} />} title={t('noMatches')}>
            {t('noMatchesText', { q })}
          </EmptyState>
        ) : (
          <EmptyState icon={<UsersIcon size={22} />} title={t('noCustomers')}>
            {t('noCustomersText')}
          </EmptyState>
        )}
      </div>
    );
  }

  return (
    <div className="list-scroll" ref={scrollRef}>
      <ul
        className="conversation-list customer-list"
        aria-label={t('customers')}
        aria-busy={list.isFetching}
        onKeyDown={onKeyDown}
        style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
      >
        {virtualItems.map((v) => {
          const c = items[v.index]!;
          const name = customerName(c);
          const href = hrefOf(c.id);
          return (
            <li
              key={v.key}
              className="vrow"
              data-index={v.index}
              ref={virtualizer.measureElement}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${v.start}px)` }}
            >
              <a
                href={href}
                onClick={linkHandler(href)}
                className={c.id === selectedId ? 'row selected' : 'row'}
                aria-current={c.id === selectedId ? 'page' : undefined}
                data-customer-id={c.id}
              >
                <Avatar name={name} size={34} />
                <div className="row-main">
                  <div className="row-top">
                    <span className="row-name">
                      <span className="truncate">{name}</span>
                      {c.vip && <span className="badge vip">{t('vip')}</span>}
                    </span>
                    <span className="row-time">{relativeTime(c.updatedAt)}</span>
                  </div>
                  <div className="row-preview">{[c.email, c.phone].filter(Boolean).join(' · ') || t('noContact')}</div>
                </div>
              </a>
            </li>
          );
        })}
      </ul>
      {isFetchingNextPage && (
        <div className="load-more">
          <Spinner label={t('loadingMore')} />
        </div>
      )}
    </div>
  );
}
