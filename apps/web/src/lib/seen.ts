import { useSyncExternalStore } from 'react';

/**
 * "Unread-ish": the last activity time each conversation had when this browser last showed it. Kept in
 * localStorage (per device, no server round trip); a row is unread when it has moved on since.
 */
const KEY = 'tp.seen';
const MAX = 500;
const listeners = new Set<() => void>();
let seen: Record<string, string> = load();

function load(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}

export function markSeen(conversationId: string, lastActivityAt: string): void {
  if (seen[conversationId] && seen[conversationId]! >= lastActivityAt) return;
  const entries = Object.entries({ ...seen, [conversationId]: lastActivityAt });
  seen = Object.fromEntries(entries.slice(-MAX));
  try {
    localStorage.setItem(KEY, JSON.stringify(seen));
  } catch {
    // Storage full or disabled: unread dots just reset on reload.
  }
  for (const l of listeners) l();
}

/** For hooks that read the whole map (e.g. the tab-title count). */
export const subscribeSeen = (l: () => void) => (listeners.add(l), () => void listeners.delete(l));
export const seenSnapshot = (): Readonly<Record<string, string>> => seen;

export function useIsUnread(conversationId: string, lastActivityAt: string): boolean {
  const at = useSyncExternalStore(
    (l) => (listeners.add(l), () => listeners.delete(l)),
    () => seen[conversationId],
  );
  return !at || at < lastActivityAt;
}
