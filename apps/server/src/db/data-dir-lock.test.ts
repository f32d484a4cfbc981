import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { acquireDataDirLock } from './data-dir-lock';
import { startPgliteHost } from './pglite-host';

const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tp-lock-'));

/** Runs acquireDataDirLock in a separate Node process, as a second server would. */
function lockFromAnotherProcess(dir: string) {
  const script = `import { acquireDataDirLock } from ${JSON.stringify(path.join(here, 'data-dir-lock.ts'))};
    try { acquireDataDirLock(${JSON.stringify(dir)}); console.log('acquired'); } catch (e) { console.error(e.message); process.exit(3); }`;
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
}

describe('PGlite data directory: one owner', () => {
  it('a second process cannot open a directory another live process owns, and is told why', () => {
    const dir = tmp();
    const lock = acquireDataDirLock(dir);
    const res = lockFromAnotherProcess(dir);
    expect(res.status).toBe(3);
    expect(res.stderr).toContain(`already in use by process ${process.pid}`);
    lock.release();
    expect(lockFromAnotherProcess(dir).stdout).toContain('acquired');
  });

  it('takes over a lock left by a process that died', () => {
    const dir = tmp();
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    fs.writeFileSync(path.join(dir, 'touchpoint.lock'), dead.stdout.trim());
    const lock = acquireDataDirLock(dir);
    expect(fs.readFileSync(path.join(dir, 'touchpoint.lock'), 'utf8')).toBe(String(process.pid));
    lock.release();
    expect(fs.existsSync(path.join(dir, 'touchpoint.lock'))).toBe(false);
  });

  it('the PGlite host refuses a directory that is already locked', async () => {
    const dir = tmp();
    const lock = acquireDataDirLock(dir);
    await expect(startPgliteHost({ dataDir: dir })).rejects.toThrow(/already in use/);
    lock.release();
  });
});
