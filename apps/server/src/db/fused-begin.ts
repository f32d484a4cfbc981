import type pg from 'pg';

type QueryFn = (...args: unknown[]) => unknown;

const EMPTY = { command: 'BEGIN', rowCount: null, rows: [], fields: [], oid: 0 };

const textOf = (first: unknown): string | undefined =>
  typeof first === 'string'
    ? first
    : first && typeof first === 'object' && 'text' in first
      ? String((first as { text: unknown }).text)
      : undefined;

function valuesOf(first: unknown, rest: unknown[]): unknown[] | undefined {
  if (Array.isArray(rest[0])) return rest[0];
  const v = first && typeof first === 'object' && 'values' in first ? (first as { values: unknown }).values : undefined;
  return Array.isArray(v) ? v : undefined;
}

/**
 * Saves a round trip on every transaction: `begin` is held back and sent together with the transaction's first
 * statement when that one has no parameters (the tenant binding, `select set_config(...)`, which db/tenant.ts
 * writes with literals for this reason) as one simple-protocol message. A first statement with parameters gets the
 * `begin` sent just before it, as without this; a transaction that ends before any statement sends nothing at all.
 * Works below drizzle and pg-boss: it only changes when `begin` leaves the client, never what runs.
 */
export function fuseBegin(client: pg.PoolClient | pg.Client): void {
  const target = client as unknown as { query: QueryFn };
  const inner = target.query.bind(client) as QueryFn;
  let pending = false;
  target.query = (first: unknown, ...rest: unknown[]) => {
    const text = textOf(first);
    const values = valuesOf(first, rest);
    const withCallback = typeof rest[rest.length - 1] === 'function';
    if (!withCallback && text !== undefined && /^begin$/i.test(text) && !values?.length) {
      if (pending) throw new Error('begin sent twice on one connection');
      pending = true;
      return Promise.resolve(EMPTY);
    }
    if (!pending) return inner(first, ...rest);
    pending = false;
    if (!withCallback && text !== undefined && /^(commit|rollback)$/i.test(text))
      return Promise.resolve({ ...EMPTY, command: text.toUpperCase() });
    if (!withCallback && text !== undefined && !values?.length) {
      const fused = typeof first === 'string' ? `begin; ${text}` : { ...(first as object), text: `begin; ${text}` };
      // Two statements answer with two results; the caller asked for the second.
      return (inner(fused, ...rest) as Promise<pg.QueryResult | pg.QueryResult[]>).then((r) => (Array.isArray(r) ? r[r.length - 1] : r));
    }
    return (inner('begin') as Promise<unknown>).then(() => inner(first, ...rest));
  };
}
