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

/** A database of its own for one test file, copied from the migrated template. */
export async function openTestDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = process.env.TP_TEST_TEMPLATE_DB;
    if (!template) throw new Error('global-setup did not create the template database');
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

export async function createTestApp(
  opts: { config?: Partial<Record<keyof Config, string>>; startWorkers?: boolean; pubsub?: PubSub } = {},
): Promise<TestApp> {
  const database = await openTestDatabase();
  const runtime = await createRuntime(testConfig(opts.config as Record<string, string>), {
    database,
    logger: false,
    startWorkers: opts.startWorkers ?? false,
    pubsub: opts.pubsub,
  });
  await runtime.app.ready();
  return { ...runtime, settle: () => runtime.events.settle() };
}

/** One app per test file: `const t = useTestApp();` then `t().app.inject(...)` inside tests. */
export function useTestApp(opts?: Parameters<typeof createTestApp>[0]): () => TestApp {
  let app: TestApp | undefined;
  beforeAll(async () => {
    app = await createTestApp(opts);
  });
  afterAll(async () => {
    await app?.close();
  });
  return () => {
    if (!app) throw new Error('useTestApp(): the app is not ready (use it inside tests or hooks)');
    return app;
  };
}
