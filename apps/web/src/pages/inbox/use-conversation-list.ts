import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../api/client';
import { conversations } from '../../api/endpoints';
import type { Conversation } from '../../api/types';
import { assigneeParam, byActivity, matchesFilter, type InboxFilter } from './filters';

export interface ConversationList {
  items: Conversation[];
  loading: boolean;
  loadingMore: boolean;
  error: string | null;
  hasMore: boolean;
  loadMore(): void;
  reload(): void;
  /** Insert, update, re-sort or drop one conversation after a local action or a realtime event. */
  upsert(c: Conversation): void;
}

/** The inbox list for one status + view, paged by the API's keyset cursor. */
export function useConversationList(filter: InboxFilter, meId: string): ConversationList {
  const [items, setItems] = useState<Conversation[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const filterRef = useRef(filter);
  filterRef.current = filter;

  const query = { status: filter.status, assigneeId: assigneeParam(filter.view), limit: 25 };

  useEffect(() => {
    const abort = new AbortController();
    setLoading(true);
    setError(null);
    conversations
      .list(query, abort.signal)
      .then((res) => {
        setItems(res.data);
        setCursor(res.page.nextCursor);
        setLoading(false);
      })
      .catch((err: unknown) => {
        if (abort.signal.aborted) return;
        setError(errorMessage(err));
        setLoading(false);
      });
    return () => abort.abort();
  }, [filter.status, filter.view, generation]);

  const loadMore = useCallback(() => {
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    conversations
      .list({ ...query, cursor })
      .then((res) => {
        setItems((prev) => {
          const seen = new Set(prev.map((c) => c.id));
          return [...prev, ...res.data.filter((c) => !seen.has(c.id))];
        });
        setCursor(res.page.nextCursor);
      })
      .catch((err: unknown) => setError(errorMessage(err)))
      .finally(() => setLoadingMore(false));
  }, [cursor, loadingMore, filter.status, filter.view]);

  const itemsRef = useRef(items);
  itemsRef.current = items;
  const upsert = useCallback(
    (c: Conversation) => {
      // Realtime payloads carry no customer summary: a conversation new to this list is fetched once in full.
      if (!c.customer && !itemsRef.current.some((x) => x.id === c.id)) {
        if (!matchesFilter(c, filterRef.current, meId)) return;
        conversations
          .get(c.id)
          .then((res) =>
            upsertRef.current(
              res.data.customer ? res.data : { ...res.data, customer: { id: c.customerId, name: null, email: null, phone: null } },
            ),
          )
          .catch(() => {});
        return;
      }
      setItems((prev) => {
        const rest = prev.filter((x) => x.id !== c.id);
        const existing = prev.find((x) => x.id === c.id);
        // Out-of-order deliveries (action response vs realtime echo) must not roll a row back.
        if (existing && existing.updatedAt > c.updatedAt) return prev;
        const merged = existing && !c.customer && existing.customer ? { ...c, customer: existing.customer } : c;
        if (!matchesFilter(merged, filterRef.current, meId)) return rest.length === prev.length ? prev : rest;
        return [...rest, merged].sort(byActivity);
      });
    },
    [meId],
  );
  const upsertRef = useRef(upsert);
  upsertRef.current = upsert;

  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  return { items, loading, loadingMore, error, hasMore: cursor !== null, loadMore, reload, upsert };
}
