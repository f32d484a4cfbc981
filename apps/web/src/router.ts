import { useEffect, useSyncExternalStore, type MouseEvent } from 'react';

/**
 * A tiny history-based router: the server answers every non-API GET with index.html, so real paths work on
 * reload. `useLocation()` re-renders on navigation; `match()` pulls `:params` out of a pattern.
 */
export interface Location {
  path: string;
  query: URLSearchParams;
}

const listeners = new Set<() => void>();
let snapshot = read();

function read(): Location {
  return { path: window.location.pathname, query: new URLSearchParams(window.location.search) };
}
function notify(): void {
  snapshot = read();
  for (const l of listeners) l();
}
window.addEventListener('popstate', notify);

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === window.location.pathname + window.location.search) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  notify();
}

export function useLocation(): Location {
  return useSyncExternalStore(
    (l) => (listeners.add(l), () => listeners.delete(l)),
    () => snapshot,
  );
}

/** `match('/customers/:id', '/customers/42')` -> `{ id: '42' }`, or null when the path does not fit. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i]!.startsWith(':')) params[p[i]!.slice(1)] = decodeURIComponent(s[i]!);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

/** onClick for <a href>: plain left clicks navigate in-app; modified clicks keep the browser's behaviour. */
export function linkHandler(to: string) {
  return (e: MouseEvent) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
}

export function Redirect({ to }: { to: string }): null {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}
