import type { Tx } from '../db/client';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { APP_ROLE } from '../db/migrate';
import { withSystem, withTenant } from '../db/tenant';
import type { Ctx } from './context';
import { EventBus, type StoredEvent } from './events';

/**
 * The unit of work of every command: one transaction bound to the actor's tenant. Events emitted inside are
 * handed to the bus only after COMMIT, so no client or listener ever sees state that was rolled back.
 */
export async function command<T>(ctx: Ctx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const emitted: StoredEvent[] = [];
  const result = await withTenant(ctx.db, ctx.accountId, async (tx) => {
    EventBus.track(tx, emitted);
    return fn(tx);
  });
  if (emitted.length > 0) ctx.events.committed(emitted);
  return result;
}

/** A read in the actor's tenant (row-level security applies). */
export function read<T>(ctx: Ctx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withTenant(ctx.db, ctx.accountId, fn);
}

/**
 * Like command(), for the few use cases that run before a tenant exists or is known: sign-up creates the
 * account, accepting an invitation finds its account by token, and both create a global `users` row, which a
 * tenant-bound transaction may not insert. Events emitted inside are still published only after COMMIT.
 */
export async function systemCommand<T>(db: Db, events: EventBus, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const emitted: StoredEvent[] = [];
  const result = await withSystem(db, async (tx) => {
    EventBus.track(tx, emitted);
    return fn(tx);
  });
  if (emitted.length > 0) events.committed(emitted);
  return result;
}

/**
 * Lifts row-level security for ONE index-driven lookup inside a tenant transaction. PostgreSQL applies RLS
 * policies before any operator that is not leakproof (`@@`, LIKE, lower()...), so under RLS a full-text or prefix
 * condition can never use its index and every search becomes a scan of the tenant's rows. Only for queries that
 * (1) filter every table by the tenant explicitly and (2) return ids in ranked order, which the caller then re-reads
 * under RLS: every row that leaves the database still passes the wall.
 */
export async function withRowSecurityLifted<T>(tx: Tx, fn: () => Promise<T>): Promise<T> {
  await tx.execute(sql`select set_config('role', 'none', true)`);
  try {
    return await fn();
  } finally {
    // If fn failed the transaction is aborted and will roll back; restoring the role is then moot.
    await tx.execute(sql`select set_config('role', ${APP_ROLE}, true)`).catch(() => {});
  }
}

/**
 * Pairs ranked keys (found with `withRowSecurityLifted`) with the rows read back under row-level security, in the
 * ranked order. A key whose row did not come back (RLS hid it) drops out instead of leaking.
 */
export function inRankedOrder<K, R>(
  ranked: readonly K[],
  rows: readonly R[],
  keyOf: (k: K) => string,
  rowKeyOf: (r: R) => string,
): [K, R][] {
  const byKey = new Map(rows.map((r) => [rowKeyOf(r), r]));
  return ranked.flatMap((k) => {
    const row = byKey.get(keyOf(k));
    return row ? [[k, row] as [K, R]] : [];
  });
}
