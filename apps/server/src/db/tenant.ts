import { sql } from 'drizzle-orm';
import type { Db, Tx } from './client';
import { APP_ROLE } from './migrate';

/**
 * Runs `fn` in one transaction bound to one tenant: the session drops to the application role, for which
 * row-level security hides every other account's rows, even from a query that forgot its account filter.
 */
export async function withTenant<T>(db: Db, accountId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', ${APP_ROLE}, true), set_config('app.account_id', ${accountId}, true)`);
    return fn(tx);
  });
}

/** A transaction for work that legitimately spans tenants (login lookup, dispatcher, maintenance). */
export async function withSystem<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}
