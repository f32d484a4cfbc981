import { sql } from 'drizzle-orm';
import type { Db, Tx } from './client';
import { APP_ROLE } from './migrate';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs `fn` in one transaction bound to one tenant: the session drops to the application role, for which
 * row-level security hides every other account's rows, even from a query that forgot its account filter.
 */
export async function withTenant<T>(db: Db, accountId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  // Literals, not parameters: a statement without parameters travels with BEGIN in one round trip (fused-begin.ts).
  // The id is checked to be a UUID first, so nothing but a UUID ever reaches the text.
  if (!UUID.test(accountId)) throw new Error('withTenant: the account id is not a UUID');
  const bind = sql.raw(`select set_config('role', '${APP_ROLE}', true), set_config('app.account_id', '${accountId}', true)`);
  return db.transaction(async (tx) => {
    await tx.execute(bind);
    return fn(tx);
  });
}

/** A transaction for work that legitimately spans tenants (login lookup, dispatcher, maintenance). */
export async function withSystem<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}
