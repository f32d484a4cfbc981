import type { Role } from '@touchpoint/shared';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { apiKeys, memberships, sessions, teamMembers, users } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import type { Actor } from '../../platform/context';
import type { Authenticator } from '../../platform/http/auth';
import { hashToken, safeEqualHex } from '../../platform/http/tokens';
import type { AppDeps } from '../../platform/module';

const CACHE_MS = 5_000;

/** Parses `tp_<prefix>_<secret>`; the prefix finds the row, the secret's hash proves possession. */
export function parseApiKey(token: string): { prefix: string; secret: string } | null {
  const m = /^tp_([A-Za-z0-9]{8,16})_([A-Za-z0-9_-]{20,})$/.exec(token);
  return m ? { prefix: m[1]!, secret: m[2]! } : null;
}

/**
 * Session and API key lookups run before the tenant is known, so they use the system connection; the actor
 * they produce is what every later query is scoped by. A short cache keeps hot API clients off the database;
 * logout and revocation clear it in this process (other nodes see the change within CACHE_MS).
 */
export function createAuthenticator(deps: Pick<AppDeps, 'database'>): Authenticator & { forget(token: string): void } {
  const db: Db = deps.database.db;
  const cache = new Map<string, { actor: Actor | null; at: number }>();
  const cached = async (key: string, load: () => Promise<Actor | null>) => {
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.actor;
    const actor = await load();
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { actor, at: Date.now() });
    return actor;
  };
  // Deactivation, role and team changes and key revocation know the user or key, not the raw credential.
  const forgetOwner = (tag: string) => {
    for (const [key, entry] of cache) {
      const a = entry.actor;
      if (a && ((a.kind === 'user' && tag === `user:${a.userId}`) || (a.kind === 'api_key' && tag === `api_key:${a.keyId}`)))
        cache.delete(key);
    }
  };

  return {
    /** Forgets a raw credential, or every cached credential of `user:<id>` / `api_key:<id>`. */
    forget(token) {
      if (/^(user|api_key):/.test(token)) return forgetOwner(token);
      cache.delete(`s:${hashToken(token)}`);
      cache.delete(`k:${token}`);
    },
    fromSession(token) {
      const tokenHash = hashToken(token);
      return cached(`s:${tokenHash}`, () =>
        withSystem(db, async (tx) => {
          const [row] = await tx
            .select({
              sessionId: sessions.id,
              userId: users.id,
              name: users.name,
              accountId: sessions.accountId,
              role: memberships.role,
              lastSeenAt: sessions.lastSeenAt,
            })
            .from(sessions)
            .innerJoin(users, eq(users.id, sessions.userId))
            .innerJoin(memberships, and(eq(memberships.userId, sessions.userId), eq(memberships.accountId, sessions.accountId)))
            .where(
              and(
                eq(sessions.tokenHash, tokenHash),
                isNull(sessions.revokedAt),
                gt(sessions.expiresAt, sql`now()`),
                eq(memberships.active, true),
              ),
            );
          if (!row) return null;
          const teams = await tx
            .select({ teamId: teamMembers.teamId })
            .from(teamMembers)
            .where(and(eq(teamMembers.accountId, row.accountId), eq(teamMembers.userId, row.userId)));
          if (Date.now() - row.lastSeenAt.getTime() > 60_000) {
            await tx
              .update(sessions)
              .set({ lastSeenAt: sql`now()` })
              .where(eq(sessions.id, row.sessionId));
          }
          return {
            kind: 'user',
            userId: row.userId,
            accountId: row.accountId,
            role: row.role as Role,
            teamIds: teams.map((t) => t.teamId),
            name: row.name,
          } satisfies Actor;
        }),
      );
    },
    fromApiKey(token) {
      const parsed = parseApiKey(token);
      if (!parsed) return Promise.resolve(null);
      return cached(`k:${token}`, () =>
        withSystem(db, async (tx) => {
          const [row] = await tx
            .select()
            .from(apiKeys)
            .where(and(eq(apiKeys.prefix, parsed.prefix), isNull(apiKeys.revokedAt)));
          if (!row || !safeEqualHex(row.secretHash, hashToken(parsed.secret))) return null;
          if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return null;
          if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
            await tx
              .update(apiKeys)
              .set({ lastUsedAt: sql`now()` })
              .where(eq(apiKeys.id, row.id));
          }
          return { kind: 'api_key', keyId: row.id, accountId: row.accountId, role: row.role as Role } satisfies Actor;
        }),
      );
    },
  };
}
