import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import {
  customerApi,
  type AddIdentityBody,
  type Customer,
  type CustomerNote,
  type TimelineKind,
  type UpdateCustomerBody,
} from '../../api/customer-links';
import { auth } from '../../api/endpoints';
import type { Envelope, Page, RealtimeEvent, User } from '../../api/types';
import { useRealtime } from '../../hooks/useRealtime';

/**
 * The customers pages' server state, in the one TanStack Query cache. Keys:
 *   ['customers', 'list', q]                  infinite list pages (keyset cursors from the API)
 *   ['customer', id]                          one customer with identities and policies
 *   ['customer', id, 'timeline', kind|'all']  infinite timeline pages (prefix ['customer', id, 'timeline'])
 *   ['customer', id, 'notes']                 infinite note pages, newest first
 * Mutations write their answer into these entries; realtime events of `customer:<id>` and `account:<id>` patch
 * them in place or invalidate what they cannot patch (a new conversation on the timeline).
 */
export const customerKeys = {
  lists: ['customers', 'list'] as const,
  list: (q: string) => ['customers', 'list', q] as const,
  customer: (id: string) => ['customer', id] as const,
  timeline: (id: string) => ['customer', id, 'timeline'] as const,
  timelineOf: (id: string, kind: TimelineKind | undefined) => ['customer', id, 'timeline', kind ?? 'all'] as const,
  notes: (id: string) => ['customer', id, 'notes'] as const,
};

type ListData = InfiniteData<Page<Customer>, string | undefined>;
type NotesData = InfiniteData<Page<CustomerNote>, string | undefined>;

const nextCursor = (last: { page: { nextCursor: string | null } }) => last.page.nextCursor ?? undefined;

export function useCustomerList(q: string) {
  const query = useInfiniteQuery({
    queryKey: customerKeys.list(q),
    queryFn: ({ pageParam, signal }) => customerApi.list(q, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: nextCursor,
    // While the next search runs, keep showing the previous results instead of a spinner.
    placeholderData: (prev) => prev,
  });
  const items = query.data?.pages.flatMap((p) => p.data) ?? [];
  return { query, items };
}

export function useCustomer(id: string) {
  return useQuery({ queryKey: customerKeys.customer(id), queryFn: ({ signal }) => customerApi.get(id, signal) });
}

export function useTimeline(id: string, kind: TimelineKind | undefined) {
  const query = useInfiniteQuery({
    queryKey: customerKeys.timelineOf(id, kind),
    queryFn: ({ pageParam, signal }) => customerApi.timeline(id, kind, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: nextCursor,
  });
  // Two items can share an id across kinds (never within one); the key is kind + id.
  const items = query.data?.pages.flatMap((p) => p.data) ?? [];
  return { query, items };
}

export function useNotes(id: string) {
  const query = useInfiniteQuery({
    queryKey: customerKeys.notes(id),
    queryFn: ({ pageParam, signal }) => customerApi.notes(id, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: nextCursor,
  });
  const notes = query.data?.pages.flatMap((p) => p.data) ?? [];
  const policies = query.data?.pages.flatMap((p) => p.policies ?? []) ?? [];
  return { query, notes, policies };
}

/** Teammates' names for note authors (the inbox shares this entry); a role that cannot list users sees fewer names. */
export function useUserNames(): Map<string, string> {
  const { data } = useQuery({ queryKey: ['users', 'active'], queryFn: () => auth.users(), staleTime: 5 * 60_000 });
  return useMemo(() => new Map(((data?.data ?? []) as User[]).map((u) => [u.id, u.name])), [data]);
}

// ---- cache updates ----

/** A fresher customer (a mutation's answer or a realtime payload) into its entry and every cached list page. */
export function applyCustomer(qc: QueryClient, c: Customer): void {
  qc.setQueryData<Envelope<Customer>>(customerKeys.customer(c.id), (prev) => {
    if (!prev) return prev;
    if (prev.data.updatedAt > c.updatedAt) return prev;
    // Payloads without identities keep the ones we have.
    return { ...prev, data: { ...c, identities: c.identities ?? prev.data.identities } };
  });
  qc.setQueriesData<ListData>({ queryKey: customerKeys.lists }, (prev) =>
    prev
      ? {
          ...prev,
          pages: prev.pages.map((p) => ({
            ...p,
            // A merged-away profile leaves the lists (the API lists survivors only).
            data: c.mergedIntoId
              ? p.data.filter((x) => x.id !== c.id)
              : p.data.map((x) => (x.id === c.id && x.updatedAt <= c.updatedAt ? { ...c, identities: undefined } : x)),
          })),
        }
      : prev,
  );
}

function removeFromLists(qc: QueryClient, id: string): void {
  qc.setQueriesData<ListData>({ queryKey: customerKeys.lists }, (prev) =>
    prev ? { ...prev, pages: prev.pages.map((p) => ({ ...p, data: p.data.filter((x) => x.id !== id) })) } : prev,
  );
}

function upsertNote(qc: QueryClient, note: CustomerNote, policy?: { id: string; abilities: Record<string, boolean> }): void {
  qc.setQueryData<NotesData>(customerKeys.notes(note.customerId), (prev) => {
    if (!prev || prev.pages.length === 0) return prev;
    const pages = prev.pages.map((p) => ({ ...p, data: p.data.filter((n) => n.id !== note.id) }));
    const first = pages[0]!;
    // A realtime copy carries no policy: keep the one we have (or none: the server still decides on delete).
    const known = prev.pages.flatMap((p) => p.policies ?? []).find((x) => x.id === note.id);
    const withPolicy = policy ?? known;
    pages[0] = {
      ...first,
      data: [note, ...first.data].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id)),
      policies: withPolicy ? [...(first.policies ?? []).filter((x) => x.id !== note.id), withPolicy] : first.policies,
    };
    return { ...prev, pages };
  });
}

function removeNote(qc: QueryClient, customerId: string, noteId: string): void {
  qc.setQueryData<NotesData>(customerKeys.notes(customerId), (prev) =>
    prev ? { ...prev, pages: prev.pages.map((p) => ({ ...p, data: p.data.filter((n) => n.id !== noteId) })) } : prev,
  );
}

// ---- mutations ----

export function useUpdateCustomer(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateCustomerBody) => customerApi.update(id, body),
    onSuccess: (res) => {
      qc.setQueryData<Envelope<Customer>>(customerKeys.customer(id), (prev) => ({
        ...prev,
        ...res,
        policies: res.policies ?? prev?.policies,
      }));
      applyCustomer(qc, res.data);
      void qc.invalidateQueries({ queryKey: customerKeys.timeline(id) });
    },
  });
}

export function useAddIdentity(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AddIdentityBody) => customerApi.addIdentity(id, body),
    // The primary email/phone may have changed too: read the customer again.
    onSuccess: () => qc.invalidateQueries({ queryKey: customerKeys.customer(id), exact: true }),
  });
}

export function useRemoveIdentity(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (identityId: string) => customerApi.removeIdentity(id, identityId),
    onMutate: async (identityId) => {
      await qc.cancelQueries({ queryKey: customerKeys.customer(id), exact: true });
      const prev = qc.getQueryData<Envelope<Customer>>(customerKeys.customer(id));
      if (prev?.data.identities) {
        qc.setQueryData<Envelope<Customer>>(customerKeys.customer(id), {
          ...prev,
          data: { ...prev.data, identities: prev.data.identities.filter((i) => i.id !== identityId) },
        });
      }
      return { prev };
    },
    onError: (_err, _identityId, context) => {
      if (context?.prev) qc.setQueryData(customerKeys.customer(id), context.prev);
    },
    onSettled: () => qc.invalidateQueries({ queryKey: customerKeys.customer(id), exact: true }),
  });
}

export function useAddNote(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: string) => customerApi.addNote(id, body),
    onSuccess: (res) => {
      upsertNote(qc, res.data, res.policies?.[0]);
      void qc.invalidateQueries({ queryKey: customerKeys.timeline(id) });
    },
  });
}

/** Deletes at once in the cache (the row disappears), and puts the note back if the server refuses. */
export function useDeleteNote(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (noteId: string) => customerApi.deleteNote(id, noteId),
    onMutate: async (noteId) => {
      await qc.cancelQueries({ queryKey: customerKeys.notes(id) });
      const prev = qc.getQueryData<NotesData>(customerKeys.notes(id));
      removeNote(qc, id, noteId);
      return { prev };
    },
    onError: (_err, _noteId, context) => {
      if (context?.prev) qc.setQueryData(customerKeys.notes(id), context.prev);
    },
    onSuccess: () => void qc.invalidateQueries({ queryKey: customerKeys.timeline(id) }),
  });
}

// ---- realtime ----

/** A burst of events (a chat in full flow) refetches the timeline once, not once per message. */
function useDebouncedInvalidate(qc: QueryClient, ms = 400) {
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const t of pending.values()) clearTimeout(t);
      pending.clear();
    };
  }, []);
  return useCallback(
    (key: readonly unknown[]) => {
      const k = JSON.stringify(key);
      const pending = timers.current;
      if (pending.has(k)) clearTimeout(pending.get(k));
      pending.set(
        k,
        setTimeout(() => {
          pending.delete(k);
          void qc.invalidateQueries({ queryKey: key });
        }, ms),
      );
    },
    [qc, ms],
  );
}

/** Account-wide: new customers appear in the lists, edits and merges patch them. */
export function useCustomerListRealtime(accountId: string): void {
  const qc = useQueryClient();
  const later = useDebouncedInvalidate(qc, 500);
  const onEvent = useCallback(
    (e: RealtimeEvent) => {
      if (e.type === 'customer.created') later(customerKeys.lists);
      else if (e.type === 'customer.updated' || e.type === 'customer.identity_added') applyCustomer(qc, e.payload.customer);
      else if (e.type === 'customer.merged') {
        removeFromLists(qc, e.payload.sourceId);
        applyCustomer(qc, e.payload.customer);
      }
    },
    [qc, later],
  );
  const onResync = useCallback(() => void qc.invalidateQueries({ queryKey: customerKeys.lists }), [qc]);
  useRealtime([`account:${accountId}`], onEvent, onResync);
}

/** One open profile (`customer:<id>`): its edits, notes, merges and conversations, live. */
export function useCustomerRealtime(id: string): void {
  const qc = useQueryClient();
  const later = useDebouncedInvalidate(qc);
  const onEvent = useCallback(
    (e: RealtimeEvent) => {
      if (e.id === null) return; // typing and viewing signals
      switch (e.type) {
        case 'customer.updated':
        case 'customer.identity_added':
          if (e.payload.customer.id === id) applyCustomer(qc, e.payload.customer);
          break;
        case 'customer.merged':
          // This profile survived (patch it), or was merged away (read it again: it now names its survivor).
          if (e.payload.customer.id === id) applyCustomer(qc, e.payload.customer);
          else void qc.invalidateQueries({ queryKey: customerKeys.customer(id), exact: true });
          void qc.invalidateQueries({ queryKey: customerKeys.notes(id) });
          break;
        case 'customer.note_added':
          if (e.payload.note.customerId === id) upsertNote(qc, e.payload.note);
          break;
        case 'customer.note_deleted':
          removeNote(qc, id, e.payload.noteId);
          break;
        default:
          break;
      }
      // Whatever happened to this customer (a message, a status change, a note) may be on the timeline.
      later(customerKeys.timeline(id));
    },
    [qc, id, later],
  );
  const onResync = useCallback(() => void qc.invalidateQueries({ queryKey: customerKeys.customer(id) }), [qc, id]);
  useRealtime([`customer:${id}`], onEvent, onResync);
}
