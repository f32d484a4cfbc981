import { useMemo } from 'react';
import type { Policies } from '../api/types';
import { useSession } from '../session';

/**
 * Reads the `policies` the server sends with each response, so the UI never re-derives permission rules.
 * When a response carries no policy for the entity, controls stay enabled: the server still enforces, and the
 * user gets a clear 403 message instead of a silently missing button.
 */
export type Can = (ability: string) => boolean;

export function abilitiesFor(policies: Policies | undefined, id: string | undefined): Record<string, boolean> | null {
  if (!policies || !id) return null;
  return policies.find((p) => p.id === id)?.abilities ?? null;
}

export function useAbilities(policies: Policies | undefined, id: string | undefined): Can {
  return useMemo(() => {
    const abilities = abilitiesFor(policies, id);
    return (ability: string) => (abilities ? abilities[ability] !== false : true);
  }, [policies, id]);
}

/** Account-wide abilities (manage_users, manage_api_keys, ...) from GET /me; absent ones are false. */
export function useAccountAbilities(): Can {
  const session = useSession();
  return useMemo(() => {
    const me = session.status === 'signed-in' ? session : null;
    const abilities = me ? abilitiesFor(me.policies, me.me.account.id) : null;
    return (ability: string) => abilities?.[ability] === true;
  }, [session]);
}
