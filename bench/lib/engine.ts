import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { autoPrepare } from '../../apps/server/src/db/auto-prepare';
import { loadConfig } from '../../apps/server/src/config';
import { openDatabase, type Database } from '../../apps/server/src/db/client';
import { hashToken, newToken } from '../../apps/server/src/platform/http/tokens';
import { createRuntime, type Runtime } from '../../apps/server/src/server';

export type EngineKind = 'pg' | 'pglite';

export interface Engine {
  kind: EngineKind;
  database: Database;
  runtime: Runtime;
  /** Origin of the listening server, e.g. http://127.0.0.1:41234 */
  origin: string;
  /** Pool for the raw references: the same size as the server's and, on PGlite, the same single connection. */
  refPool: pg.Pool;
  poolSize: number;
  version: string;
  durability: string;
  close(): Promise<void>;
}

export interface EngineOptions {
  poolSize: number;
  workers: boolean;
  /** Also run the SMTP intake (email workload) on a free port of 127.0.0.1: `runtime.smtp.port`. */
  smtp?: boolean;
  log: (line: string) => void;
}

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const requireFromServer = createRequire(new URL('../../apps/server/package.json', import.meta.url));

function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh database (PostgreSQL: `touchpoint_bench_<ts>`, dropped on close; PGlite: in memory) with the real server listening on it. */
export async function startEngine(kind: EngineKind, opts: EngineOptions): Promise<Engine> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-bench-'));
  let database: Database;
  let dropDatabase = async () => {};
  let url: string | undefined;
  if (kind === 'pg') {
    const adminUrl = process.env.BENCH_DATABASE_URL ?? DEFAULT_ADMIN_URL;
    const name = `touchpoint_bench_${Date.now()}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    opts.log(`created database ${name}`);
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      opts.log(`dropped database ${name}`);
    };
    url = withDatabaseName(adminUrl, name);
    database = await openDatabase({ kind: 'postgres', url, poolSize: opts.poolSize });
  } else {
    database = await openDatabase({ kind: 'pglite' });
  }

  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    // The limiter stays in the request path (its cost is real), but must not turn the benchmark into 429s.
    RATE_LIMIT_PER_MINUTE: '1000000000',
    WORKER: opts.workers ? 'on' : 'off',
    SEED_DEMO: 'off',
    ...(opts.smtp ? { SMTP_PORT: '0', SMTP_HOST: '127.0.0.1' } : {}),
    ...(url ? { DATABASE_URL: url, DATABASE_POOL_SIZE: String(opts.poolSize) } : {}),
  });
  let runtime: Runtime;
  try {
    runtime = await createRuntime(config, { database, logger: false });
    await runtime.app.listen({ port: 0, host: '127.0.0.1' });
  } catch (err) {
    await database.close().catch(() => {});
    await dropDatabase().catch(() => {});
    throw err;
  }
  const { port } = runtime.app.server.address() as AddressInfo;

  const refPool =
    kind === 'pg' ? new pg.Pool({ connectionString: url, max: opts.poolSize, application_name: 'touchpoint-bench-ref' }) : database.pool;
  // The reference prepares its statements as the server does (on PGlite it is the server's own pool).
  if (refPool !== database.pool) refPool.on('connect', autoPrepare);
  // Dropping the bench database ends idle connections with an error: expected, not a crash.
  refPool.on('error', () => {});
  const info = await describe(kind, database.pool);
  return {
    kind,
    database,
    runtime,
    origin: `http://127.0.0.1:${port}`,
    refPool,
    poolSize: kind === 'pg' ? opts.poolSize : 1,
    ...info,
    async close() {
      if (refPool !== database.pool) await refPool.end();
      await runtime.close(); // closes the database too
      await dropDatabase();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function describe(kind: EngineKind, pool: pg.Pool): Promise<{ version: string; durability: string }> {
  const { rows } = await pool.query<{ v: string; fsync: string; sc: string; fpw: string }>(
    `select current_setting('server_version') as v, current_setting('fsync') as fsync,
            current_setting('synchronous_commit') as sc, current_setting('full_page_writes') as fpw`,
  );
  const r = rows[0]!;
  if (kind === 'pglite') {
    return {
      version: `PGlite ${pgliteVersion()} (PostgreSQL ${r.v})`,
      durability: 'in-memory data directory (no durability), worker thread + pglite-socket',
    };
  }
  return { version: `PostgreSQL ${r.v}`, durability: `fsync=${r.fsync} synchronous_commit=${r.sc} full_page_writes=${r.fpw}` };
}

/** The installed PGlite version (its package.json is not exported, so walk up from the entry point). */
function pgliteVersion(): string {
  let dir = path.dirname(requireFromServer.resolve('@electric-sql/pglite'));
  while (dir !== path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@electric-sql/pglite') return pkg.version ?? '?';
    }
    dir = path.dirname(dir);
  }
  return '?';
}

/** An API key row for the account, as `Authorization: Bearer` (same format as test/factories.ts). */
export async function createApiKey(pool: pg.Pool, accountId: string, role: string): Promise<string> {
  const prefix = randomBytes(6).toString('hex');
  const secret = newToken();
  await pool.query(`insert into api_keys (account_id, name, role, prefix, secret_hash) values ($1, $2, $3, $4, $5)`, [
    accountId,
    `bench ${prefix}`,
    role,
    prefix,
    hashToken(secret),
  ]);
  return `Bearer tp_${prefix}_${secret}`;
}
