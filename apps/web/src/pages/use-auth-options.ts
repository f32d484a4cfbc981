import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Envelope } from '../api/types';

/** Whether this server lets anyone create a workspace (`SIGNUP=off` turns it off); assumed open until known. */
export function useSignupOpen(): boolean {
  const { data } = useQuery({
    queryKey: ['auth', 'options'],
    queryFn: () => api.get<Envelope<{ signup: boolean }>>('/auth/options'),
    staleTime: Infinity,
  });
  return data?.data.signup !== false;
}
