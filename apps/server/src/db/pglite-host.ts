import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';

export interface PgliteHost {
  /** Directory holding the Unix socket; node-postgres takes it as `host`. */
  socketDir: string;
  port: number;
  dump(toFile: string): Promise<void>;
  close(): Promise<void>;
}

export interface PgliteHostOptions {
  /** Persist in this directory (locked: one owner at a time). Omit for an in-memory database. */
  dataDir?: string;
  /** Start from a `dumpDataDir` tarball (tests share one migrated template this way). */
  loadDataDirFrom?: string;
}

const PORT = 5432;

/** Starts PGlite on a worker thread and waits until it accepts connections. */
export async function startPgliteHost(opts: PgliteHostOptions): Promise<PgliteHost> {
  let lock: DataDirLock | undefined;
  if (opts.dataDir) {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    lock = acquireDataDirLock(opts.dataDir);
  }
  // Unix socket paths are limited to ~107 bytes, so the socket lives in a short temp path, not the data dir.
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-pg-'));
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), {
    workerData: {
      dataDir: opts.dataDir ? path.join(opts.dataDir, 'pgdata') : undefined,
      loadDataDirFrom: opts.loadDataDirFrom,
      socketPath: path.join(socketDir, `.s.PGSQL.${PORT}`),
    },
  });
  const pending = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  let exited = false;
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (msg: { type: string; id?: string; message?: string }) => {
      if (msg.type === 'ready') return resolve();
      const p = msg.id ? pending.get(msg.id) : undefined;
      if (!p) return;
      pending.delete(msg.id!);
      if (msg.type === 'error') p.reject(new Error(msg.message));
      else p.resolve();
    });
    worker.once('error', (err) => {
      lock?.release();
      reject(err);
    });
    worker.once('exit', (code) => {
      exited = true;
      for (const p of pending.values()) p.reject(new Error(`PGlite worker exited with code ${code}`));
      reject(new Error(`PGlite worker exited with code ${code} before it was ready`));
    });
  });
  await ready;

  const call = (type: string, extra: Record<string, unknown> = {}) =>
    new Promise<void>((resolve, reject) => {
      if (exited) return reject(new Error('PGlite worker is not running'));
      const id = randomUUID();
      pending.set(id, { resolve, reject });
      worker.postMessage({ type, id, ...extra });
    });

  let closed = false;
  return {
    socketDir,
    port: PORT,
    dump: (toFile) => call('dump', { path: toFile }),
    async close() {
      if (closed) return;
      closed = true;
      try {
        if (!exited) await call('close');
      } finally {
        await worker.terminate();
        fs.rmSync(socketDir, { recursive: true, force: true });
        lock?.release();
      }
    },
  };
}
