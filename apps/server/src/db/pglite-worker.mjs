// Runs PGlite (PostgreSQL compiled to WASM) on its own thread, so SQL work never stalls the HTTP event loop,
// and serves the PostgreSQL wire protocol on a Unix socket: the app talks to it with node-postgres, exactly as
// it talks to a PostgreSQL server. Plain JS so it loads under any runner (tsx, vitest) without a TS loader.
import { readFile, writeFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const { dataDir, loadDataDirFrom, socketPath } = workerData;
const loadDataDir = loadDataDirFrom ? new Blob([await readFile(loadDataDirFrom)]) : undefined;
const db = await PGlite.create({ dataDir, loadDataDir, extensions: { pg_trgm } });
const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 2 });
await server.start();
parentPort.postMessage({ type: 'ready' });

parentPort.on('message', async (msg) => {
  try {
    if (msg.type === 'dump') {
      const blob = await db.dumpDataDir('gzip');
      await writeFile(msg.path, Buffer.from(await blob.arrayBuffer()));
      parentPort.postMessage({ type: 'dumped', id: msg.id });
    } else if (msg.type === 'close') {
      await server.stop();
      await db.close();
      parentPort.postMessage({ type: 'closed', id: msg.id });
    }
  } catch (err) {
    parentPort.postMessage({ type: 'error', id: msg.id, message: String(err?.stack ?? err) });
  }
});
