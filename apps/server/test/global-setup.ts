import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../src/db/client';
import { createRuntime } from '../src/server';
import { testConfig } from './test-config';

/**
 * Migrates one template database per test run; every test file then starts from a copy of it:
 * PGlite loads a `dumpDataDir` tarball (~1 s instead of ~4 s initdb + migrations), PostgreSQL clones it with
 * CREATE DATABASE ... TEMPLATE. Isolation inside a file is a fresh account per test.
 */
export default async function setup() {
  const url = process.env.DATABASE_URL;
  if (url) {
    const templateName = `tp_template_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${templateName}`);
    await admin.query(`create database ${templateName}`);
    await admin.end();
    const templateUrl = withDatabase(url, templateName);
    const runtime = await createRuntime(testConfig({ DATABASE_URL: templateUrl }), { logger: false, startWorkers: false });
    await runtime.close();
    process.env.TP_TEST_TEMPLATE_DB = templateName;
    return async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const { rows } = await c.query(`select datname from pg_database where datname like $1`, [`tp_test_${process.pid}_%`]);
      for (const r of rows) await c.query(`drop database if exists ${r.datname} with (force)`);
      await c.query(`drop database if exists ${templateName} with (force)`);
      await c.end();
    };
  }
  const dir = path.resolve('.tmp');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `pglite-template-${process.pid}.tar.gz`);
  const database = await openDatabase({ kind: 'pglite' });
  const runtime = await createRuntime(testConfig(), { database, logger: false, startWorkers: false });
  await database.pglite!.dump(file);
  await runtime.close();
  process.env.TP_TEST_PGLITE_TEMPLATE = file;
  return () => fs.rmSync(file, { force: true });
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
