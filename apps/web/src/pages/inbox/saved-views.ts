import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Envelope, Page, Policies } from '../../api/types';
import type { InboxSearch } from './filters';

/** A named inbox filter: personal, or shared with the whole account (GET/POST/PATCH/DELETE /saved-views). */
export interface SavedView {
  id: string;
  name: string;
  filters: Omit<InboxSearch, 'q' | 'savedView'>;
  shared: boolean;
}

const KEY = ['saved-views'] as const;

export function useSavedViews() {
  return useQuery({
    queryKey: KEY,
    queryFn: () => api.get<Page<SavedView> & { policies?: Policies }>('/saved-views', { limit: 100 }),
    staleTime: 5 * 60_000,
  });
}

export function useSaveView() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; filters: SavedView['filters']; shared: boolean }) =>
      api.post<Envelope<SavedView>>('/saved-views', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: KEY }),
  });
}

export function useDeleteView() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/saved-views/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: KEY }),
  });
}
