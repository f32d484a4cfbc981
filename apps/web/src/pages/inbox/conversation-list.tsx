import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Conversation, User } from '../../api/types';
import { CheckIcon, InboxIcon, PlusIcon } from '../../components/icons';
import { EmptyState, Kbd, Spinner } from '../../components/ui';
import { linkHandler } from '../../router';
import { BulkBar } from './bulk-bar';
import { ConversationRow } from './conversation-row';
import { filterQuery, STATUS_EMPTY, STATUSES, type InboxFilter } from './filters';
import { FilterBar } from './filter-bar';
import { t } from './messages';
import type { useConversationList } from './queries';
import { SearchBox } from './search';

interface Props {
  filter: InboxFilter;
  list: ReturnType<typeof useConversationList>['query'];
  items: Conversation[];
  users: User[];
  selectedId: string | null;
  search: string | undefined;
  searchResults: ReactNode;
  onSearch(q: string | undefined): void;
  onNew(): void;
}

/** Row height before measuring (rows grow with badges; the virtualiser measures each one). */
const ESTIMATED_ROW = 86;

export function ConversationListPane({ filter, list, items, users, selectedId, search, searchResults, onSearch, onNew }: Props) {
  const base = selectedId ? `/inbox/${selectedId}` : '/inbox';
  const empty = STATUS_EMPTY[filter.status];
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  // A different list keeps no selection from the previous one.
  const key = JSON.stringify(filter);
  useEffect(() => setSelected(new Set()), [key]);

  return (
    <section className="list-pane" aria-label={t('conversations')}>
      <header className="pane-header">
        <h1 className="pane-title">{t('inbox')}</h1>
        <button type="button" className="button primary small" onClick={onNew} title={t('newTitle')}>
          <PlusIcon size={14} /> {t('new')}
        </button>
      </header>
      <SearchBox value={search} onSearch={onSearch} />
      {search ? (
        searchResults
      ) : (
        <>
          <div className="tabs" role="tablist" aria-label={t('status')}>
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
          {selected.size > 0 ? (
            <BulkBar
              ids={[...selected]}
              allIds={items.map((c) => c.id)}
              users={users}
              onSelectAll={(all) => setSelected(new Set(all ? items.map((c) => c.id) : []))}
              onDone={() => setSelected(new Set())}
            />
          ) : (
            <FilterBar filter={filter} base={base} />
          )}
          <VirtualList
            filter={filter}
            list={list}
            items={items}
            selectedId={selectedId}
            checked={selected}
            onToggle={toggle}
            empty={
              <EmptyState
                icon={filter.status === 'open' ? <CheckIcon size={22} /> : <InboxIcon size={22} />}
                title={empty.title}
                action={
                  filter.status === 'open' ? (
                    <span className="muted small">
                      {t('pressC1')} <Kbd>C</Kbd> {t('pressC2')}
                    </span>
                  ) : undefined
                }
              >
                {empty.text}
              </EmptyState>
            }
          />
        </>
      )}
    </section>
  );
}

function VirtualList({
  filter,
  list,
  items,
  selectedId,
  checked,
  onToggle,
  empty,
}: {
  filter: InboxFilter;
  list: Props['list'];
  items: Conversation[];
  selectedId: string | null;
  checked: ReadonlySet<string>;
  onToggle(id: string): void;
  empty: ReactNode;
}) {
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

  // Infinite scroll: the next page is fetched as the end comes into view.
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  useEffect(() => {
    if (last && last.index >= items.length - 5 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [last, items.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const selectedIndex = selectedId ? items.findIndex((c) => c.id === selectedId) : -1;
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  if (list.isPending) {
    return (
      <div className="center-pad">
        <Spinner />
      </div>
    );
  }
  if (list.isError) {
    return (
      <div className="alert alert-error inset">
        {list.error.message}{' '}
        <button type="button" className="link-button" onClick={() => void list.refetch()}>
          {t('retry')}
        </button>
      </div>
    );
  }
  if (items.length === 0) return <div className="list-scroll">{empty}</div>;

  return (
    <div className="list-scroll" ref={scrollRef}>
      <ul
        className="conversation-list"
        data-testid="conversation-list"
        aria-busy={list.isFetching}
        style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
      >
        {virtualItems.map((v) => {
          const c = items[v.index]!;
          return (
            <li
              key={v.key}
              className="vrow"
              data-index={v.index}
              ref={virtualizer.measureElement}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${v.start}px)` }}
            >
              <ConversationRow
                c={c}
                selected={c.id === selectedId}
                checked={checked.has(c.id)}
                selecting={checked.size > 0}
                onToggle={() => onToggle(c.id)}
                href={`/inbox/${c.id}${filterQuery(filter)}`}
              />
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
