import { useLocation } from '@tanstack/react-router';
import { useMemo, type MouseEvent } from 'react';
import { router } from './routes';

/**
 * Imperative navigation by href for components that build paths as strings (typed `<Link>`/`useNavigate` from
 * TanStack Router are preferred in new code). Both go through the one router instance.
 */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const here = window.location.pathname + window.location.search;
  if (to === here) return;
  void router.navigate({ href: to, replace: opts.replace });
}

/** onClick for <a href>: plain left clicks navigate in-app; modified clicks keep the browser's behaviour. */
export function linkHandler(to: string) {
  return (e: MouseEvent) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
}

/** The current query string as URLSearchParams (for pages whose params are plain strings). */
export function useQueryParams(): URLSearchParams {
  const searchStr = useLocation({ select: (l) => l.searchStr });
  return useMemo(() => new URLSearchParams(searchStr), [searchStr]);
}
