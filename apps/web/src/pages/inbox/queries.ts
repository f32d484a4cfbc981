import { useInfiniteQuery, useQuery, useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { useCallback, useRef } from 'react';
import { api } from '../../api/client';
import { conversations } from '../../api/endpoints';
import type { ConversationListItem } from '@touchpoint/shared';
import { conversationOf, type Conversation, type Envelope, type Message, type Page, type RealtimeEvent } from '../../api/types';
import { useRealtime } from '../../hooks/useRealtime';
import { assigneeParam, byActivity, matchesFilter, type InboxFilter, type Viewer } from './filters';

/**
 * The inbox's server state, in the one TanStack Query cache. Keys:
 *   ['conversations', 'list', filter]      infinite list pages (keyset cursors from the API)
 *   ['conversation', id]                    one conversation with its policies
 *   ['conversation', id, 'messages']        infinite message pages, newest page first
 * Realtime events patch these entries in place (so nothing refetches per event); events that carry no
 * conversation, and reconnects, invalidate instead.
 */
export const inboxKeys = {
  lists: ['conversations', 'list'] as const,
  list: (f: InboxFilter) => ['conversations', 'list', f] as const,
  conversation: (id: string) => ['conversation', id] as const,
  messages: (id: string) => ['conversation', id, 'messages'] as const,
};

export const PAGE_SIZE = 25;

export function listParams(f: InboxFilter) {
  return {
    status: f.status,
    view: f.view,
    assigneeId: assigneeParam(f.view),
    channelId: f.channelId,
    teamId: f.teamId,
    tag: f.tag,
    priority: f.priority,
    sla: f.sla,
    sort: f.sort === 'activity' ? undefined : f.sort,
    limit: PAGE_SIZE,
  };
}

export function useConversationList(filter: InboxFilter) {
  const query = useInfiniteQuery({
    queryKey: inboxKeys.list(filter),
    queryFn: ({ pageParam, signal }) => api.get<Page<Conversation>>('/conversations', { ...listParams(filter), cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.page.nextCursor ?? undefined,
  });
  const items = query.data?.pages.flatMap((p) => p.data) ?? [];
  return { query, items };
}

type ListData = InfiniteData<Page<Conversation>, string | undefined>;
type MessageData = InfiniteData<Page<PendingMessage>, string | undefined>;

/** Keep the customer summary a realtime payload lacks; never roll a row back to an older version. */
function fresher(existing: Conversation | undefined, c: Conversation): Conversation | null {
  if (existing && existing.updatedAt > c.updatedAt) return null;
  if (!existing) return c;
  // Realtime payloads are the plain conversation: keep what only list rows carry (channel, SLA, read marker).
  const row = existing as Partial<ConversationListItem>;
  const extra: Partial<ConversationListItem> = {};
  if (!c.customer && existing.customer) extra.customer = existing.customer;
  if (!('channel' in c) && row.channel) extra.channel = row.channel;
  if (!('sla' in c) && row.sla) extra.sla = row.sla;
  if (!('readAt' in c) && row.readAt !== undefined) extra.readAt = row.readAt;
  return { ...c, ...extra };
}

/** Unread for me: a customer message newer than my read marker (the server's rule, applied to live rows too). */
export function isUnread(c: Conversation): boolean | undefined {
  const row = c as Partial<ConversationListItem>;
  if (row.readAt === undefined) return row.unread;
  return !!c.lastCustomerMessageAt && (!row.readAt || c.lastCustomerMessageAt > row.readAt);
}

/** Opening a conversation reads it: the per-agent marker moves (server) and every cached row shows it read. */
export function markReadForMe(qc: QueryClient, id: string): void {
  const readAt = new Date().toISOString();
  void api.post(`/conversations/${id}/read`, { readAt }).catch(() => undefined);
  for (const q of qc.getQueryCache().findAll({ queryKey: inboxKeys.lists })) {
    const data = q.state.data as ListData | undefined;
    if (!data?.pages.some((p) => p.data.some((x) => x.id === id))) continue;
    qc.setQueryData<ListData>(q.queryKey, {
      ...data,
      pages: data.pages.map((p) => ({ ...p, data: p.data.map((x) => (x.id === id ? { ...x, readAt, unread: false } : x)) })),
    });
  }
}

/**
 * Puts one conversation where it belongs in every cached list: updated in place, moved, added to the first
 * page of lists it now matches (activity order only; other orders refetch), or dropped from lists it left.
 * Returns whether some list needs a refetch to place it (a new row without its customer summary).
 */
export function upsertIntoLists(qc: QueryClient, c: Conversation, who: Viewer): boolean {
  let needsFetch = false;
  for (const q of qc.getQueryCache().findAll({ queryKey: inboxKeys.lists })) {
    const filter = q.queryKey[2] as InboxFilter;
    const data = q.state.data as ListData | undefined;
    if (!data) continue;
    const all = data.pages.flatMap((p) => p.data);
    const existing = all.find((x) => x.id === c.id);
    const merged = fresher(existing, c);
    if (!merged) continue;
    const verdict = matchesFilter(merged, filter, who);
    // Only the server can tell (mentions, SLA state): keep a row it already lists, refetch to learn about a new one.
    const belongs = verdict ?? !!existing;
    if (!existing && verdict === false) continue;
    if (!existing && (!merged.customer || filter.sort !== 'activity' || verdict === null)) {
      needsFetch = true;
      void qc.invalidateQueries({ queryKey: q.queryKey, exact: true });
      continue;
    }
    const pages = data.pages.map((p) => ({ ...p, data: p.data.filter((x) => x.id !== c.id) }));
    if (belongs) {
      if (filter.sort === 'activity') {
        pages[0] = { ...pages[0]!, data: [...pages[0]!.data, merged].sort(byActivity) };
      } else {
        // Another sort order: update in place (a refetch reorders it).
        const at = data.pages.findIndex((p) => p.data.some((x) => x.id === c.id));
        pages[at] = { ...pages[at]!, data: data.pages[at]!.data.map((x) => (x.id === c.id ? merged : x)) };
      }
    }
    qc.setQueryData<ListData>(q.queryKey, { ...data, pages });
  }
  return needsFetch;
}

/** Applies a fresher conversation (an action's answer or a realtime event) to its entry and to every list. */
export function applyConversation(qc: QueryClient, c: Conversation, who: Viewer): void {
  qc.setQueryData<Envelope<Conversation>>(inboxKeys.conversation(c.id), (prev) => {
    if (!prev) return prev;
    const merged = fresher(prev.data, c);
    return merged ? { ...prev, data: merged } : prev;
  });
  upsertIntoLists(qc, c, who);
}

/** Account-wide realtime for the inbox lists: patch on events with a conversation, else refetch once per burst. */
export function useInboxRealtime(accountId: string, who: Viewer): void {
  const qc = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const onEvent = useCallback(
    (e: RealtimeEvent) => {
      const c = conversationOf(e);
      if (c) return applyConversation(qc, c, who);
      if (e.conversationId && (e.type.startsWith('conversation.') || e.type === 'message.created')) {
        if (timer.current) clearTimeout(timer.current);
        timer.current = setTimeout(() => void qc.invalidateQueries({ queryKey: inboxKeys.lists }), 300);
      }
    },
    [qc, who],
  );
  const onResync = useCallback(() => void qc.invalidateQueries({ queryKey: inboxKeys.lists }), [qc]);
  useRealtime([`account:${accountId}`], onEvent, onResync);
}

// ---- one conversation ----

export interface PendingMessage extends Message {
  pending?: boolean;
  failed?: boolean;
}

export function useConversationQuery(id: string) {
  return useQuery({ queryKey: inboxKeys.conversation(id), queryFn: () => conversations.get(id) });
}

export function useMessages(id: string) {
  const query = useInfiniteQuery({
    queryKey: inboxKeys.messages(id),
    queryFn: ({ pageParam }) => conversations.messages(id, pageParam) as Promise<Page<PendingMessage>>,
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.page.nextCursor ?? undefined,
  });
  // Pages run from the newest back in time; each page is chronological. The thread reads oldest first.
  const messages = query.data ? sortMessages(query.data.pages.flatMap((p) => p.data)) : [];
  return { query, messages };
}

/** Messages oldest first; ties broken by id (UUIDv7 ids sort by creation). */
function sortMessages(list: PendingMessage[]): PendingMessage[] {
  return [...list].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

const sameMessage = (a: PendingMessage, b: PendingMessage) =>
  a.id === b.id || (!!b.clientMessageId && a.clientMessageId === b.clientMessageId);

/** Adds or replaces one message in the cached thread (an optimistic copy is replaced via its clientMessageId). */
export function upsertMessage(qc: QueryClient, conversationId: string, m: PendingMessage): void {
  qc.setQueryData<MessageData>(inboxKeys.messages(conversationId), (prev) => {
    if (!prev || prev.pages.length === 0) return prev;
    const pages = prev.pages.map((p) => ({ ...p, data: p.data.filter((x) => !sameMessage(x, m)) }));
    pages[0] = { ...pages[0]!, data: [...pages[0]!.data, m] };
    return { ...prev, pages };
  });
}

export function removeMessage(qc: QueryClient, conversationId: string, clientMessageId: string): void {
  qc.setQueryData<MessageData>(inboxKeys.messages(conversationId), (prev) =>
    prev ? { ...prev, pages: prev.pages.map((p) => ({ ...p, data: p.data.filter((x) => x.clientMessageId !== clientMessageId) })) } : prev,
  );
}
