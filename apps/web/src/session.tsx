import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { auth } from './api/endpoints';
import { ApiError, setUnauthorizedHandler } from './api/client';
import type { Me, Policies } from './api/types';
import { realtime } from './hooks/useRealtime';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; reason: 'anonymous' | 'logout' | 'expired' }
  | { status: 'signed-in'; me: Me; policies: Policies | undefined };

interface SessionApi {
  refresh(): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<(SessionState & SessionApi) | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const refresh = useCallback(async () => {
    try {
      const res = await auth.me();
      setState({ status: 'signed-in', me: res.data, policies: res.policies });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setState({ status: 'signed-out', reason: 'anonymous' });
      else throw err;
    }
  }, []);

  const signOut = useCallback(async () => {
    try {
      await auth.logout();
    } finally {
      realtime.stop();
      setState({ status: 'signed-out', reason: 'logout' });
    }
  }, []);

  useEffect(() => {
    refresh().catch(() => setState({ status: 'signed-out', reason: 'anonymous' }));
    setUnauthorizedHandler(() => {
      realtime.stop();
      setState({ status: 'signed-out', reason: 'expired' });
    });
    return () => setUnauthorizedHandler(null);
  }, [refresh]);

  const value = useMemo(() => ({ ...state, refresh, signOut }), [state, refresh, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState & SessionApi {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession() outside <SessionProvider>');
  return ctx;
}

/** The signed-in user; only call below the auth gate. */
export function useMe(): Me {
  const s = useSession();
  if (s.status !== 'signed-in') throw new Error('useMe() while signed out');
  return s.me;
}
