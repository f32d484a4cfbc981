import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema';
import { autoPrepare } from './auto-prepare';
import { fuseBegin } from './fused-begin';
import { startPgliteHost, type PgliteHost } from './pglite-host';
import { takePrestartedPglite } from './pglite-prestart';

export type Schema = typeof schema;
export type Db = NodePgDatabase<Schema>;
/** A drizzle transaction; commands receive one and never open their own. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  pool: pg.Pool;
  /** Only set on PGlite: the worker thread that owns the data directory. */
  pglite?: PgliteHost;
  close(): Promise<void>;
}

// timestamptz as Date, bigint counts as numbers (they stay far below 2^53 here).
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type DatabaseOptions =
  | {
      kind: 'postgres';
      url: string;
      poolSize?: number;
      /** Name every parameterised statement (auto-prepare.ts); default true. */
      preparedStatements?: boolean;
    }
  | { kind: 'pglite'; dataDir?: string; loadDataDirFrom?: string };

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10, application_name: 'touchpoint' });
    pool.on('error', () => {}); // an idle client's error is reported on its next use
    if (opts.preparedStatements !== false) pool.on('connect', autoPrepare);
    pool.on('connect', fuseBegin);
    const db = drizzle({ client: pool, schema, casing: 'snake_case' });
    await pool.query('select 1');
    return { kind: 'postgres', db, pool, close: () => pool.end() };
  }
  const host = await (takePrestartedPglite(opts.dataDir) ??
    startPgliteHost({ dataDir: opts.dataDir, loadDataDirFrom: opts.loadDataDirFrom }));
  // PGlite is a single session: one connection, so statements of different callers can never interleave
  // and a transaction naturally excludes everyone else until it ends.
  // Never let the one connection go idle-closed: PGlite keeps a single session whatever connects to it, so statements a
  // closed connection prepared live on (auto-prepare.ts names statements per connection for the rare reconnect).
  const pool = new pg.Pool({ host: host.socketDir, port: host.port, user: 'postgres', database: 'postgres', max: 1, idleTimeoutMillis: 0 });
  pool.on('error', () => {});
  pool.on('connect', autoPrepare);
  pool.on('connect', fuseBegin);
  const db = drizzle({ client: pool, schema, casing: 'snake_case' });
  return {
    kind: 'pglite',
    db,
    pool,
    pglite: host,
    async close() {
      await pool.end();
      await host.close();
    },
  };
}
