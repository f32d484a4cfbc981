import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ConversationSearchHit } from '@touchpoint/shared';
import { api, errorMessage } from '../../api/client';
import type { Page } from '../../api/types';
import { SearchIcon, XIcon } from '../../components/icons';
import { EmptyState, Spinner, StatusBadge } from '../../components/ui';
import { customerName, relativeTime } from '../../lib/format';
import { linkHandler } from '../../router';
import { ChannelBadge } from './channel-badge';
import { t } from './messages';

/** The inbox search field: Enter searches (the query lands in the URL), Escape or × clears. */
export function SearchBox({ value, onSearch }: { value: string | undefined; onSearch(q: string | undefined): void }) {
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  return (
    <form
      className="search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(text.trim() || undefined);
      }}
    >
      <SearchIcon />
      <input
        type="search"
        aria-label={t('search')}
        placeholder={t('searchPlaceholder')}
        value={text}
        maxLength={200}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            setText('');
            onSearch(undefined);
          }
        }}
      />
      {value && (
        <button
          type="button"
          className="icon-button small"
          aria-label={t('clearSearch')}
          onClick={() => {
            setText('');
            onSearch(undefined);
          }}
        >
          <XIcon size={14} />
        </button>
      )}
    </form>
  );
}

/**
 * Full-text results with the matched words highlighted. `snippetHtml` is HTML-escaped by the server except
 * for <mark> around the matches, so it is the one place the inbox sets HTML.
 */
export function SearchResults({ q, selectedId }: { q: string; selectedId: string | null }) {
  const query = useInfiniteQuery({
    queryKey: ['search', 'conversations', q],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<ConversationSearchHit>>('/search', { q, type: 'conversations', limit: 25, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.page.nextCursor ?? undefined,
  });
  const hits = query.data?.pages.flatMap((p) => p.data) ?? [];
  if (query.isPending)
    return (
      <div className="center-pad">
        <Spinner />
      </div>
    );
  if (query.isError) return <div className="alert alert-error inset">{errorMessage(query.error)}</div>;
  if (hits.length === 0)
    return (
      <EmptyState icon={<SearchIcon size={22} />} title={t('noResults', { q })}>
        {t('noResultsText')}
      </EmptyState>
    );
  return (
    <div className="list-scroll">
      <div className="results-title">{t('results', { q })}</div>
      <ul className="conversation-list search-results" data-testid="search-results">
        {hits.map((h) => {
          const c = h.conversation;
          const href = `/inbox/${c.id}?q=${encodeURIComponent(q)}`;
          return (
            <li key={`${c.id}-${h.messageId}`} className="vrow">
              <a href={href} onClick={linkHandler(href)} className={c.id === selectedId ? 'row selected' : 'row'}>
                <div className="row-main">
                  <div className="row-top">
                    <span className="row-name">{customerName(c.customer)}</span>
                    <time className="row-time">{relativeTime(c.lastActivityAt)}</time>
                  </div>
                  <div className="row-subject">
                    <span className="row-number">#{c.number}</span> {c.subject || 'No subject'}
                  </div>
                  <div className="row-snippet" dangerouslySetInnerHTML={{ __html: h.snippetHtml }} />
                  <div className="row-badges">
                    <ChannelBadge channelId={c.channelId} />
                    <StatusBadge status={c.status} />
                  </div>
                </div>
              </a>
            </li>
          );
        })}
      </ul>
      {query.hasNextPage && (
        <div className="load-more">
          <button
            type="button"
            className="button ghost small"
            disabled={query.isFetchingNextPage}
            onClick={() => void query.fetchNextPage()}
          >
            Load more
          </button>
        </div>
      )}
    </div>
  );
}
