import { count } from 'drizzle-orm';
import type { Config } from '../config';
import { accounts } from '../db/schema';
import { withSystem } from '../db/tenant';
import { DEMO_LOGIN, seedDemo } from '../seed/demo';
import { createRuntime } from '../server';

/** Starts everything in one process and shuts down gracefully on SIGINT/SIGTERM. */
export async function serve(config: Config): Promise<void> {
  const rt = await createRuntime(config);
  let seeded = false;
  if (config.SEED_DEMO !== 'off') {
    const [{ n }] = (await withSystem(rt.database.db, (tx) => tx.select({ n: count() }).from(accounts))) as [{ n: number }];
    if (config.SEED_DEMO === 'on' || n === 0) seeded = await seedDemo(rt);
  }
  await rt.app.listen({ host: config.HOST, port: config.PORT });
  const url = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  const db = config.databaseKind === 'pglite' ? `PGlite (embedded) in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
  console.log(
    [
      '',
      `  Touchpoint is running at ${url}`,
      `  Database: ${db}`,
      seeded || config.SEED_DEMO !== 'off' ? `  Demo login: ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}` : '',
      `  API docs: ${url}/api/docs`,
      '',
    ]
      .filter(Boolean)
      .join('\n'),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal} received: finishing in-flight requests and jobs...`);
    const force = setTimeout(() => {
      console.error('Shutdown took longer than 20 s; exiting.');
      process.exit(1);
    }, 20_000);
    force.unref();
    await rt.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
