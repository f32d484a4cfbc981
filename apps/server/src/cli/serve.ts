import { count } from 'drizzle-orm';
import type { Config } from '../config';
import { accounts } from '../db/schema';
import { withSystem } from '../db/tenant';
import { DEMO_LOGIN, demoExists, seedDemo } from '../seed/demo';
import { createRuntime, type Runtime } from '../server';

/**
 * SEED_DEMO: `on` seeds the demo account whenever it is missing; `auto` only into a database without any account,
 * and never when NODE_ENV=production (a production server must not come up with a known demo login); `off` never.
 */
export async function shouldSeedDemo(config: Pick<Config, 'SEED_DEMO' | 'NODE_ENV'>, rt: Pick<Runtime, 'database'>): Promise<boolean> {
  if (config.SEED_DEMO === 'on') return true;
  if (config.SEED_DEMO === 'off' || config.NODE_ENV === 'production') return false;
  const [{ n }] = (await withSystem(rt.database.db, (tx) => tx.select({ n: count() }).from(accounts))) as [{ n: number }];
  return n === 0;
}

/** Starts everything in one process and shuts down gracefully on SIGINT/SIGTERM. */
export async function serve(config: Config): Promise<void> {
  const rt = await createRuntime(config);
  const seeded = (await shouldSeedDemo(config, rt)) && (await seedDemo(rt));
  await rt.app.listen({ host: config.HOST, port: config.PORT });
  const url = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  const db = config.databaseKind === 'pglite' ? `PGlite (embedded) in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
  console.log(
    [
      '',
      `  Touchpoint is running at ${url}`,
      `  Database: ${db}`,
      seeded || (config.SEED_DEMO !== 'off' && (await demoExists(rt))) ? `  Demo login: ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}` : '',
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
