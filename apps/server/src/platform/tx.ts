import type { Tx } from '../db/client';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { APP_ROLE } from '../db/migrate';
import { withSystem, withTenant } from '../db/tenant';
import type { Ctx } from './context';
import type { EventBus } from './events';
import { beginUnit, flushUnit, type Unit } from './outbox';

/**
 * Runs `fn` as a unit of work: what it emits and enqueues is written in one statement before COMMIT (events, and
 * the jobs they call for), and handed to realtime and this node's workers only after COMMIT, so no client or
 * listener ever sees state that was rolled back and no crash can separate a change from the work it needs.
 */
async function unitOfWork<T>(tx: Tx, fn: (tx: Tx) => Promise<T>, done: (unit: Unit) => void): Promise<T> {
  const unit = beginUnit(tx);
  const result = await fn(tx);
  await flushUnit(tx, unit, { atCommit: true });
  done(unit);
  return result;
}

/** The unit of work of every command: one transaction bound to the actor's tenant (see unitOfWork). */
export async function command<T>(ctx: Ctx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  let written: Unit | null = null;
  const result = await withTenant(ctx.db, ctx.accountId, (tx) => unitOfWork(tx, fn, (u) => (written = u)));
  if (written) afterCommit(ctx.events, written);
  return result;
}

/** Everything the transaction emitted, including what was written early with flushEvents(). */
function afterCommit(events: EventBus, unit: Unit): void {
  if (unit.emitted.length > 0 || unit.queues.size > 0) events.committed(unit.emitted, unit.queues);
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
  let written: Unit | null = null;
  const result = await withSystem(db, (tx) => unitOfWork(tx, fn, (u) => (written = u)));
  if (written) afterCommit(events, written);
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
