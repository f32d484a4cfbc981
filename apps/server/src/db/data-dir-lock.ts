import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface DataDirLock {
  release(): void;
}

export class DataDirLockedError extends Error {
  constructor(dir: string, owner: string) {
    super(
      `The data directory ${dir} is already in use by ${owner}. ` +
        `PGlite allows one process per data directory (a second one would silently lose writes). ` +
        `Stop the other process, point DATA_DIR elsewhere, or use DATABASE_URL for a PostgreSQL server.`,
    );
    this.name = 'DataDirLockedError';
  }
}

/** Who holds the lock. A pid alone is not an identity: in a container the restarted server is pid 1 again. */
export interface LockOwner {
  pid: number;
  /** Clock ticks since boot at which the process started (/proc/<pid>/stat field 22); null where /proc is missing. */
  startTime: number | null;
  bootId: string | null;
  hostname: string;
}

/** How often the owner touches the lock, so an owner on another host (shared volume) can be told from a dead one. */
export const HEARTBEAT_MS = 10_000;
const HEARTBEAT_STALE_MS = 6 * HEARTBEAT_MS;
/** A lock file with no owner yet is one being written (open and write are two steps); give its writer this long. */
const BEING_WRITTEN_MS = 5_000;

const held = new Set<string>();

function readProc(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

export function processStartTime(pid: number): number | null {
  const stat = readProc(`/proc/${pid}/stat`);
  if (!stat) return null;
  // The command name (field 2) may hold spaces and parentheses, so count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[19]);
  return Number.isFinite(ticks) ? ticks : null;
}

export function currentOwner(): LockOwner {
  return {
    pid: process.pid,
    startTime: processStartTime(process.pid),
    bootId: readProc('/proc/sys/kernel/random/boot_id')?.trim() || null,
    hostname: os.hostname(),
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Older servers wrote the bare pid; that still names an owner, just a less certain one. */
function parseOwner(text: string): LockOwner | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed), startTime: null, bootId: null, hostname: os.hostname() };
  try {
    const o = JSON.parse(trimmed) as Partial<LockOwner>;
    if (!Number.isInteger(o.pid) || o.pid! <= 0 || typeof o.hostname !== 'string') return null;
    return {
      pid: o.pid!,
      startTime: typeof o.startTime === 'number' ? o.startTime : null,
      bootId: typeof o.bootId === 'string' ? o.bootId : null,
      hostname: o.hostname,
    };
  } catch {
    return null;
  }
}

/**
 * Whether the recorded owner may still be running. The lock is taken over when it cannot be: its pid is ours
 * (and this process does not hold the directory), the machine rebooted since, the pid is gone, or the pid now
 * belongs to a process that started at another time. An owner on another host cannot be probed, so there the
 * heartbeat decides.
 */
export function ownerMayBeAlive(owner: LockOwner, lockAgeMs: number, me: LockOwner = currentOwner()): boolean {
  // Its pid means nothing in our pid namespace (another container or machine sharing the volume).
  if (owner.hostname !== me.hostname) return lockAgeMs < HEARTBEAT_STALE_MS;
  if (owner.bootId && me.bootId && owner.bootId !== me.bootId) return false;
  if (owner.pid === me.pid) return false;
  if (!isAlive(owner.pid)) return false;
  if (owner.startTime !== null) {
    const now = processStartTime(owner.pid);
    if (now !== null && now !== owner.startTime) return false;
  }
  return true;
}

const describeOwner = (owner: LockOwner) => `process ${owner.pid} on ${owner.hostname}`;

/**
 * One owner per PGlite data directory. The lock file records who owns it (pid, process start time, boot id,
 * hostname) and is touched every HEARTBEAT_MS; a lock whose owner cannot be alive is taken over, so a server
 * that crashed restarts on its own.
 */
export function acquireDataDirLock(dir: string): DataDirLock {
  const file = path.join(dir, 'touchpoint.lock');
  const key = path.resolve(dir);
  for (let attempt = 0; attempt < 3; attempt++) {
    const me = currentOwner();
    const content = JSON.stringify(me);
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, content);
      fs.closeSync(fd);
      held.add(key);
      const heartbeat = setInterval(() => {
        try {
          const now = new Date();
          fs.utimesSync(file, now, now);
        } catch {
          /* the directory went away; release will notice */
        }
      }, HEARTBEAT_MS);
      heartbeat.unref();
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        clearInterval(heartbeat);
        held.delete(key);
        try {
          if (fs.readFileSync(file, 'utf8') === content) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return { release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (held.has(key)) throw new DataDirLockedError(dir, `this process (${process.pid})`);
      let text: string;
      let ageMs: number;
      try {
        text = fs.readFileSync(file, 'utf8');
        ageMs = Date.now() - fs.statSync(file).mtimeMs;
      } catch {
        continue; // released between our open and our read: try again
      }
      const owner = parseOwner(text);
      if (owner ? ownerMayBeAlive(owner, ageMs, me) : ageMs < BEING_WRITTEN_MS) {
        throw new DataDirLockedError(dir, owner ? describeOwner(owner) : 'a process that is starting');
      }
      // Only remove the lock we judged: another process taking it over meanwhile wrote a new one.
      try {
        if (fs.readFileSync(file, 'utf8') === text) fs.unlinkSync(file);
      } catch {
        /* already gone */
      }
    }
  }
  throw new Error(`Could not lock ${dir}`);
}
