import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api/client';

/**
 * One cache for all server state. Realtime events keep it fresh (they update or invalidate entries), so data
 * stays fresh for a while without refetching on every focus; client errors (4xx) are answers, not retried.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
    },
    mutations: { retry: false },
  },
});
