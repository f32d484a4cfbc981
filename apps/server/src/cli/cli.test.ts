import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client';
import { DEMO_LOGIN } from '../seed/demo';
import { createRuntime } from '../server';
import { testConfig } from '../../test/test-config';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/touchpoint.js');

/** Runs the real `touchpoint` binary on its own PGlite data directory (never the test's PostgreSQL). */
function touchpoint(dataDir: string, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
  delete env.DATABASE_URL;
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env, timeout: 120_000 });
}

describe('touchpoint CLI', () => {
  it('migrates, creates an account and an API key, seeds the demo, and all of it works in the server', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-cli-'));
    expect(touchpoint(dataDir, 'migrate').stdout).toContain('Migrations applied (pglite)');

    const account = touchpoint(
      dataDir,
      'create-account',
      '--name',
      'Globex',
      '--email',
      'Hank@Globex.test',
      '--password',
      'correct-horse-battery',
    );
    expect(account.status, account.stderr).toBe(0);
    expect(account.stdout).toMatch(/Account "Globex" created \(slug globex/);

    const key = touchpoint(dataDir, 'create-api-key', '--account', 'globex', '--role', 'admin', '--name', 'ci');
    expect(key.status, key.stderr).toBe(0);
    const secret = /(tp_\S+)/.exec(key.stdout)?.[1];
    expect(secret).toBeDefined();

    const seed = touchpoint(dataDir, 'seed', '--demo');
    expect(seed.status, seed.stderr).toBe(0);
    expect(seed.stdout).toContain(`Log in with ${DEMO_LOGIN.email}`);
    expect(touchpoint(dataDir, 'seed', '--demo').stdout).toContain('already exists');
    expect(touchpoint(dataDir, 'jobs', 'failed').stdout).toContain('No failed jobs.');

    const bad = touchpoint(dataDir, 'create-api-key', '--account', 'globex', '--role', 'wizard', '--name', 'x');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('--role must be one of');

    const database = await openDatabase({ kind: 'pglite', dataDir });
    const rt = await createRuntime(testConfig({ DATA_DIR: dataDir }), { database, logger: false, startWorkers: false });
    try {
      // While this process owns the data directory, the CLI is refused with a clear message.
      const locked = touchpoint(dataDir, 'migrate');
      expect(locked.status).toBe(1);
      expect(locked.stderr).toContain('already in use by process');

      const me = await rt.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${secret}` } });
      expect(me.statusCode).toBe(200);
      expect(me.json().data.account.name).toBe('Globex');

      const login = await rt.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: DEMO_LOGIN });
      expect(login.statusCode).toBe(200);
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      const open = await rt.app.inject({ url: '/api/v1/conversations?status=open', headers: { cookie } });
      expect(open.json().data.length).toBeGreaterThan(0);
      const resolved = await rt.app.inject({ url: '/api/v1/conversations?status=resolved', headers: { cookie } });
      expect(resolved.json().data.length).toBeGreaterThan(0);
      const facts = await rt.database.pool.query(`select kind, count(*)::int as n from kpi_facts group by kind`);
      expect(Object.fromEntries(facts.rows.map((r) => [r.kind, r.n]))).toMatchObject({
        first_response: expect.any(Number),
        resolution: expect.any(Number),
      });
    } finally {
      await rt.close();
    }
  }, 180_000);
});
