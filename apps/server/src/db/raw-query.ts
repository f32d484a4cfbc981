import type { Tx } from './client';

interface RawSession {
  prepareQuery(
    query: { sql: string; params: unknown[] },
    fields: undefined,
    name: string | undefined,
    isResponseInArrayMode: boolean,
  ): { execute(): Promise<{ rows: unknown[]; rowCount: number | null }> };
}

/**
 * Runs hand-written SQL with numbered parameters ($1..$n) on the transaction's own connection; drizzle's
 * `tx.execute(sql...)` builds its text from a template instead. Like every parameterised statement it is prepared
 * once per connection (auto-prepare.ts). Timestamps come back as strings, as drizzle's raw mode returns them.
 */
export async function rawQuery<R>(tx: Tx, text: string, params: unknown[]): Promise<{ rows: R[]; rowCount: number }> {
  // drizzle keeps the session (which holds the transaction's client) protected; prepareQuery is its public API.
  const session = (tx as unknown as { session: RawSession }).session;
  const result = await session.prepareQuery({ sql: text, params }, undefined, undefined, false).execute();
  return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
}
