import { useNavigate, useSearch } from '@tanstack/react-router';
import { useCallback } from 'react';
import { parseInboxSearch, type InboxSearch } from './filters';

/** The inbox's typed search params, and a setter that merges a patch into them (undefined removes a key). */
export function useInboxSearch(): [InboxSearch, (patch: Partial<InboxSearch>, opts?: { replace?: boolean }) => void] {
  const search = parseInboxSearch(useSearch({ strict: false }));
  const navigate = useNavigate();
  const set = useCallback(
    (patch: Partial<InboxSearch>, opts: { replace?: boolean } = {}) =>
      void navigate({
        to: '.',
        search: (prev: Record<string, unknown>) => parseInboxSearch({ ...prev, ...patch }),
        replace: opts.replace,
      }),
    [navigate],
  );
  return [search, set];
}
