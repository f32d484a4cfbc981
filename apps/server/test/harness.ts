import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { Config } from '../src/config';
import { openDatabase, type Database } from '../src/db/client';
import type { PubSub } from '../src/platform/realtime';
import { createRuntime, type Runtime } from '../src/server';
import { withDatabase } from './global-setup';
import { testConfig } from './test-config';

export interface TestApp extends Runtime {
  /** Dispatch every pending event and run every due job, until quiet (instead of waiting on pollers). */
  settle(): Promise<void>;
}

export interface TestAppOptions {
  /** Configuration overrides (environment variable names and string values). */
  config?: Partial<Record<keyof Config, string>>;
  /** Run the job workers (a poller) instead of `settle()`: the file gets an app of its own. */
  startWorkers?: boolean;
  /** A pub/sub shared with other "nodes" of the test: the file gets an app of its own. */
  pubsub?: PubSub;
  /**
   * An app and database of this file's own, closed after it: for tests that read or change what every account
   * shares (all the jobs of a queue, a sweep over every account, registered jobs or listeners).
   */
  isolated?: boolean;
}

/** A database of its own, copied from the migrated template. */
export async function openTestDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = process.env.TP_TEST_TEMPLATE_DB;
    if (!template) throw new Error('global-setup did not create the template database');
    // Named after vitest's main process (global-setup's pid), whose teardown drops whatever is left.
    const name = `tp_test_${process.ppid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name} template ${template}`);
    await admin.end();
    const database = await openDatabase({ kind: 'postgres', url: withDatabase(url, name), poolSize: 10 });
    const close = database.close;
    database.close = async () => {
      await close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
    return database;
  }
  const template = process.env.TP_TEST_PGLITE_TEMPLATE;
  if (!template) throw new Error('global-setup did not create the PGlite template');
  return openDatabase({ kind: 'pglite', loadDataDirFrom: template });
}

/**
 * A new app on a new database copied from the template, for the caller to close: for what needs a server of its
 * own (a browser test listening on a port, a test of close()). Test files use `useTestApp()`.
 */
export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const database = await openTestDatabase();
  const runtime = await createRuntime(testConfig(opts.config as Record<string, string>), {
    database,
    logger: false,
    startWorkers: opts.startWorkers ?? false,
    pubsub: opts.pubsub,
    migrate: false, // a copy of the migrated template, job queue installed
  });
  await runtime.app.ready();
  return {
    ...runtime,
    async settle() {
      // A job is due when start_after < now(), and PGlite's clock has millisecond resolution: work written (or made
      // due with `start_after = now()`) in the same millisecond as the poll would not be due yet. Let it tick.
      await new Promise((resolve) => setTimeout(resolve, 2));
      await runtime.events.settle();
    },
  };
}

// ---- apps shared by the files of a worker ----
//
// vitest runs test files one after another in each worker process and, with `isolate: false`, keeps this module
// (and so this cache) for all of them. Booting an app and copying a database for every file cost ~2-3 s per file
// on PGlite; instead each worker keeps one app per distinct configuration and hands it to every file asking for
// that configuration. Tests are isolated by account (a fresh one per test), so sharing rows is fine; what is
// shared beyond accounts is reset or made safe when a file takes the app over: queued jobs are dropped (a fresh
// database has none), listen() binds once, close() is left to the end of the worker (the process exits; on
// PostgreSQL global-setup's teardown drops the databases).

/** Apps kept per worker; the least recently used beyond this is closed (a PGlite instance is ~300 MB). */
const MAX_SHARED = 4;
const shared = new Map<string, Promise<TestApp>>();
const CLOSE = Symbol('close a shared app');

function keyOf(config: TestAppOptions['config'] = {}): string {
  return JSON.stringify(Object.entries(config).sort(([a], [b]) => a.localeCompare(b)));
}

async function openShared(config: TestAppOptions['config']): Promise<TestApp> {
  const app = await createTestApp({ config });
  const close = app.close;
  const listen = app.app.listen.bind(app.app) as (opts: object) => Promise<string>;
  let address: Promise<string> | undefined;
  // The first file that listens binds a port; later files get the same address.
  Object.assign(app.app, { listen: (opts: object) => (address ??= listen(opts)) });
  return Object.assign(app, {
    close: async () => {}, // shared: closed with the worker
    [CLOSE]: close,
  });
}

/** The worker's app for this configuration, with no job left queued by an earlier file. */
export async function sharedTestApp(config?: TestAppOptions['config']): Promise<TestApp> {
  const key = keyOf(config);
  let entry = shared.get(key);
  if (entry) {
    shared.delete(key); // most recently used last
    shared.set(key, entry);
  } else {
    while (shared.size >= MAX_SHARED) {
      const [oldest, old] = shared.entries().next().value!;
      shared.delete(oldest);
      await old.then((a) => (a as TestApp & { [CLOSE]: () => Promise<void> })[CLOSE]()).catch(() => {});
    }
    entry = openShared(config);
    shared.set(key, entry);
  }
  try {
    const app = await entry;
    // Jobs an earlier file left queued (delayed checks, retries against its closed test servers) are not this
    // file's: a fresh database would have none, and settle() would otherwise run them here.
    await app.database.pool.query(`delete from pgboss.job where state in ('created', 'retry')`);
    return app;
  } catch (err) {
    if (shared.get(key) === entry) shared.delete(key);
    throw err;
  }
}

/**
 * The app of a test file: `const t = useTestApp();` then `t().app.inject(...)` inside tests. Files with the same
 * options share one app (and database) per worker; `isolated`, `startWorkers` or a `pubsub` give the file its own.
 */
export function useTestApp(opts: TestAppOptions = {}): () => TestApp {
  const own = Boolean(opts.isolated || opts.startWorkers || opts.pubsub);
  let app: TestApp | undefined;
  beforeAll(async () => {
    // Options are read now, not at import: a file may fill its config in an earlier beforeAll (a test server's port).
    app = own ? await createTestApp(opts) : await sharedTestApp(opts.config);
  });
  afterAll(async () => {
    if (own) await app?.close();
    app = undefined;
  });
  return () => {
    if (!app) throw new Error('useTestApp(): the app is not ready (use it inside tests or hooks)');
    return app;
  };
}
