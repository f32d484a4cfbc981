import { useCallback, useEffect, useRef, useState } from 'react';
import { presence as presenceApi } from '../api/endpoints';
import type { PresenceState } from '../api/types';

/** No keyboard, pointer or focus for this long while online: the agent is set away, and back on their return. */
export const IDLE_AWAY_MS = 10 * 60_000;

const ACTIVITY = ['pointerdown', 'keydown', 'focus', 'visibilitychange'] as const;

/**
 * The signed-in agent's own presence. Opening the workspace makes an agent who is offline available, unless the
 * account turned that off (so a fresh
 * demo can chat at once: the widget offers live chat only while someone is online); a state they chose (busy, away)
 * is kept. While online, idle time sets them away, and activity brings back only an away that idle set.
 * `null` state: this person takes no conversations (analysts), so there is nothing to show.
 */
export function usePresence() {
  const [state, setState] = useState<PresenceState | null>(null);
  const autoAway = useRef(false);
  const stateRef = useRef(state);
  stateRef.current = state;

  /** `source` tells routing explanations why the state changed (the agent's choice, opening the workspace, idling). */
  const set = useCallback(async (next: PresenceState, source: 'manual' | 'workspace_opened' | 'idle' = 'manual') => {
    autoAway.current = source === 'idle' && next === 'away';
    const res = await presenceApi.set(next, source);
    setState(res.data.state);
  }, []);

  useEffect(() => {
    let cancelled = false;
    presenceApi
      .me()
      .then(async (res) => {
        if (cancelled) return;
        // The account decides whether opening the workspace makes an agent available (Settings → Account).
        const availableOnOpen = res.data.availableOnOpen !== false;
        if (res.data.state === 'offline' && availableOnOpen) await set('online', 'workspace_opened');
        else setState(res.data.state);
      })
      .catch(() => !cancelled && setState(null));
    return () => {
      cancelled = true;
    };
  }, [set]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (stateRef.current === 'online') void set('away', 'idle').catch(() => {});
      }, IDLE_AWAY_MS);
    };
    const onActivity = () => {
      if (document.visibilityState === 'hidden') return;
      if (stateRef.current === 'away' && autoAway.current) void set('online', 'workspace_opened').catch(() => {});
      arm();
    };
    arm();
    for (const type of ACTIVITY) window.addEventListener(type, onActivity, { passive: true });
    return () => {
      clearTimeout(timer);
      for (const type of ACTIVITY) window.removeEventListener(type, onActivity);
    };
  }, [set]);

  return { state, set: (next: PresenceState) => set(next) };
}
