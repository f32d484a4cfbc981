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

const lastOf = (r: pg.QueryResult | pg.QueryResult[]) => (Array.isArray(r) ? r[r.length - 1] : r);

/** What a client wrapped by fuseBegin offers: a parameterless statement to run just before the next COMMIT. */
export interface FusedClient {
  beforeCommit(text: string): void;
}

export const isFused = (client: unknown): client is FusedClient =>
  typeof (client as Partial<FusedClient> | null)?.beforeCommit === 'function';

/**
 * Saves round trips on every transaction:
 * - `begin` is held back and sent together with the transaction's first statement when that one has no parameters
 *   (the tenant binding, `select set_config(...)`, which db/tenant.ts writes with literals for this reason) as one
 *   simple-protocol message. A first statement with parameters gets the `begin` sent just before it, as without
 *   this; a transaction that ends before any statement sends nothing at all.
 * - statements handed to `beforeCommit` (the unit of work's closing write, platform/outbox.ts) travel with the
 *   `commit`: if one fails, the commit does not happen and the caller rolls back, as if it had been sent alone.
 * Works below drizzle and pg-boss: it only changes when statements leave the client, never what runs.
 */
export function fuseBegin(client: pg.PoolClient | pg.Client): void {
  const target = client as unknown as { query: QueryFn } & FusedClient;
  const inner = target.query.bind(client) as QueryFn;
  let pending = false;
  let queued: string[] = [];
  target.beforeCommit = (text) => void queued.push(text);
  target.query = (first: unknown, ...rest: unknown[]) => {
    const text = textOf(first);
    const values = valuesOf(first, rest);
    const simple = typeof rest[rest.length - 1] !== 'function' && text !== undefined && !values?.length;
    if (simple && /^begin$/i.test(text)) {
      if (pending) throw new Error('begin sent twice on one connection');
      pending = true;
      queued = [];
      return Promise.resolve(EMPTY);
    }
    if (simple && /^(commit|rollback)$/i.test(text)) {
      const before = queued;
      queued = [];
      const begun = !pending;
      pending = false;
      if (/^rollback$/i.test(text) || before.length === 0) {
        return begun ? inner(first, ...rest) : Promise.resolve({ ...EMPTY, command: text.toUpperCase() });
      }
      const script = [...(begun ? [] : ['begin']), ...before, 'commit'].join(';\n');
      return (inner(script) as Promise<pg.QueryResult | pg.QueryResult[]>).then(lastOf);
    }
    if (!pending) return inner(first, ...rest);
    pending = false;
    if (simple) {
      const fused = typeof first === 'string' ? `begin; ${text}` : { ...(first as object), text: `begin; ${text}` };
      // Two statements answer with two results; the caller asked for the second.
      return (inner(fused, ...rest) as Promise<pg.QueryResult | pg.QueryResult[]>).then(lastOf);
    }
    return (inner('begin') as Promise<unknown>).then(() => inner(first, ...rest));
  };
}
