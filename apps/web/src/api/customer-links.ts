// Customers ("one customer"): profiles, identities, notes, timeline, merge suggestions and related conversations.
// Types come from the shared contracts (type-only: no zod in the bundle).
import type {
  AddIdentityBody,
  Customer,
  CustomerIdentity,
  CustomerNote,
  MergeSuggestion,
  RelatedConversation,
  TimelineItem,
  UpdateCustomerBody,
} from '@touchpoint/shared';
import { api } from './client';
import type { Envelope, Page } from './types';

export type {
  AddIdentityBody,
  Customer,
  CustomerIdentity,
  CustomerNote,
  MergeSuggestion,
  RelatedConversation,
  TimelineItem,
  UpdateCustomerBody,
};
export type TimelineKind = TimelineItem['kind'];

export const CUSTOMERS_PAGE = 50;
export const TIMELINE_PAGE = 25;
export const NOTES_PAGE = 20;

export const customerApi = {
  /** Newest first; with `q`, best matches first (exact identity, prefixes and email domain, then words and digits). */
  list: (q: string, cursor?: string, signal?: AbortSignal) =>
    api.get<Page<Customer>>('/customers', { q: q || undefined, cursor, limit: CUSTOMERS_PAGE }, signal),
  get: (id: string, signal?: AbortSignal) => api.get<Envelope<Customer>>(`/customers/${id}`, undefined, signal),
  /** `null` clears a field; `attributes` is a merge patch (a key set to null is removed). */
  update: (id: string, body: UpdateCustomerBody) => api.patch<Envelope<Customer>>(`/customers/${id}`, body),
  addIdentity: (id: string, body: AddIdentityBody) => api.post<Envelope<CustomerIdentity>>(`/customers/${id}/identities`, body),
  removeIdentity: (id: string, identityId: string) => api.delete<void>(`/customers/${id}/identities/${identityId}`),
  timeline: (id: string, kind: TimelineKind | undefined, cursor?: string, signal?: AbortSignal) =>
    api.get<Page<TimelineItem>>(`/customers/${id}/timeline`, { kind, cursor, limit: TIMELINE_PAGE }, signal),
  notes: (id: string, cursor?: string, signal?: AbortSignal) =>
    api.get<Page<CustomerNote>>(`/customers/${id}/notes`, { cursor, limit: NOTES_PAGE }, signal),
  addNote: (id: string, body: string) => api.post<Envelope<CustomerNote>>(`/customers/${id}/notes`, { body }),
  deleteNote: (id: string, noteId: string) => api.delete<void>(`/customers/${id}/notes/${noteId}`),
};

export const mergeSuggestions = {
  list: (cursor?: string) => api.get<Page<MergeSuggestion>>('/customers/merge-suggestions', { limit: 25, cursor }),
  ofCustomer: (customerId: string) => api.get<Page<MergeSuggestion>>(`/customers/${customerId}/merge-suggestions`, { limit: 25 }),
  merge: (id: string, survivorId: string) =>
    api.post<Envelope<MergeSuggestion>>(`/customers/merge-suggestions/${id}/merge`, { survivorId }),
  dismiss: (id: string) => api.post<Envelope<MergeSuggestion>>(`/customers/merge-suggestions/${id}/dismiss`),
};

export const relatedConversations = (conversationId: string, signal?: AbortSignal) =>
  api.get<Envelope<RelatedConversation[]>>(`/conversations/${conversationId}/related`, undefined, signal);
