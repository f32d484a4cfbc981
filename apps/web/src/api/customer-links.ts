// Merge suggestions and related conversations ("one customer"). Types come from the shared contracts (type-only).
import type { MergeSuggestion, RelatedConversation } from '@touchpoint/shared';
import { api } from './client';
import type { Envelope, Page } from './types';

export type { MergeSuggestion, RelatedConversation };

export const mergeSuggestions = {
  list: (cursor?: string) => api.get<Page<MergeSuggestion>>('/customers/merge-suggestions', { limit: 25, cursor }),
  ofCustomer: (customerId: string) => api.get<Page<MergeSuggestion>>(`/customers/${customerId}/merge-suggestions`, { limit: 25 }),
  merge: (id: string, survivorId: string) =>
    api.post<Envelope<MergeSuggestion>>(`/customers/merge-suggestions/${id}/merge`, { survivorId }),
  dismiss: (id: string) => api.post<Envelope<MergeSuggestion>>(`/customers/merge-suggestions/${id}/dismiss`),
};

export const relatedConversations = (conversationId: string) =>
  api.get<Envelope<RelatedConversation[]>>(`/conversations/${conversationId}/related`);
