// `npm start` (the compiled server): for `serve` on the embedded database, the PGlite worker starts first, so the
// database opens while the server's modules load (they are a separate chunk, imported below) instead of after.
import { loadConfig } from './config';
import { prestartPglite } from './db/pglite-prestart';

const command = process.argv[2] ?? 'serve';
if (command === 'serve') {
  try {
    const config = loadConfig();
    if (config.databaseKind === 'pglite') prestartPglite(config.dataDir);
  } catch {
    // A bad configuration is reported by main, with its usual message.
  }
}
await import('./main');
