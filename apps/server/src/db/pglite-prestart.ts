import { startPgliteHost, type PgliteHost } from './pglite-host';

const prestarted = new Map<string, Promise<PgliteHost>>();

/**
 * Starts the PGlite worker for a data directory before the rest of the server has loaded (src/start.ts), so the
 * database opens while the modules load instead of after. openDatabase takes it over; a failure (the directory is
 * another process's) surfaces there, exactly as if it had started the worker itself.
 */
export function prestartPglite(dataDir: string): void {
  const host = startPgliteHost({ dataDir });
  host.catch(() => {}); // reported when taken
  prestarted.set(dataDir, host);
}

/** The worker prestarted for this directory, once. */
export function takePrestartedPglite(dataDir: string | undefined): Promise<PgliteHost> | undefined {
  if (!dataDir) return undefined;
  const host = prestarted.get(dataDir);
  prestarted.delete(dataDir);
  return host;
}
