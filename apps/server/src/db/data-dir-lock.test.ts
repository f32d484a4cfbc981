import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { acquireDataDirLock, currentOwner, HEARTBEAT_MS, processStartTime, type LockOwner } from './data-dir-lock';
import { startPgliteHost } from './pglite-host';

const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tp-lock-'));
const writeLock = (dir: string, owner: LockOwner, ageMs = 0) => {
  const file = path.join(dir, 'touchpoint.lock');
  fs.writeFileSync(file, JSON.stringify(owner));
  const at = new Date(Date.now() - ageMs);
  fs.utimesSync(file, at, at);
};

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
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'touchpoint.lock'), 'utf8'))).toEqual(currentOwner());
    lock.release();
    expect(fs.existsSync(path.join(dir, 'touchpoint.lock'))).toBe(false);
  });

  it('takes over a lock naming a live pid that started at another time (a container restart: pid 1 again)', () => {
    const dir = tmp();
    expect(processStartTime(1)).not.toBeNull();
    writeLock(dir, { ...currentOwner(), pid: 1, startTime: processStartTime(1)! + 1 });
    acquireDataDirLock(dir).release();
  });

  it('takes over a lock naming our own pid when this process does not hold it, and refuses it when it does', () => {
    const dir = tmp();
    writeLock(dir, { ...currentOwner(), startTime: 1 });
    const lock = acquireDataDirLock(dir);
    expect(() => acquireDataDirLock(dir)).toThrow(/already in use by this process/);
    lock.release();
    // The bare pid an older server wrote, naming us: it was a previous life of this pid.
    fs.writeFileSync(path.join(dir, 'touchpoint.lock'), String(process.pid));
    acquireDataDirLock(dir).release();
  });

  it('takes over a lock written before the machine rebooted', () => {
    const dir = tmp();
    writeLock(dir, { ...currentOwner(), pid: 1, startTime: processStartTime(1), bootId: 'another-boot' });
    acquireDataDirLock(dir).release();
  });

  it('refuses a lock whose owner is alive, with the start time it recorded', async () => {
    const dir = tmp();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      writeLock(dir, { ...currentOwner(), pid: child.pid!, startTime: processStartTime(child.pid!) });
      expect(() => acquireDataDirLock(dir)).toThrow(`already in use by process ${child.pid}`);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('an owner on another host holds the lock while its heartbeat is fresh, and loses it once the heartbeat stops', () => {
    const dir = tmp();
    const elsewhere = { ...currentOwner(), hostname: 'another-host' };
    writeLock(dir, elsewhere, HEARTBEAT_MS);
    expect(() => acquireDataDirLock(dir)).toThrow(/already in use by process \d+ on another-host/);
    writeLock(dir, elsewhere, 10 * HEARTBEAT_MS);
    acquireDataDirLock(dir).release();
  });

  it('the PGlite host refuses a directory that is already locked', async () => {
    const dir = tmp();
    const lock = acquireDataDirLock(dir);
    await expect(startPgliteHost({ dataDir: dir })).rejects.toThrow(/already in use/);
    lock.release();
  });
});
