import type { AddressInfo } from 'node:net';
import { createRuntime } from '../../apps/server/src/server';
import type { Engine } from './engine';

export interface WebFront {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  close(): Promise<void>;
}

/**
 * A second HTTP node on an engine's database, booted now (the product's createRuntime, no job workers: the engine's
 * runtime runs them, as a `WORKER=off` web node would). Why: the server registers one route per file of
 * apps/web/dist when it boots (@fastify/static, wildcard off), so a server started before someone else rebuilt the
 * web app answers 404 for the new build's assets. Closing it leaves the database open.
 */
export async function startWebFront(engine: Engine): Promise<WebFront> {
  const database = { ...engine.runtime.database, close: async () => {} };
  const runtime = await createRuntime(engine.runtime.config, { database, logger: false, startWorkers: false, migrate: false });
  try {
    await runtime.app.listen({ port: 0, host: '127.0.0.1' });
  } catch (err) {
    await runtime.close().catch(() => {});
    throw err;
  }
  const { port } = runtime.app.server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => runtime.close().catch(() => {}),
  };
}
