import type { Config } from './config';
import { openDatabase, type Database } from './db/client';
import { migrateDatabase } from './db/migrate';
import { buildApp } from './app';
import { createAuthenticator } from './modules/accounts';
import { startSmtpIntake, type SmtpIntake } from './modules/email';
import { EventBus } from './platform/events';
import { JobQueue } from './platform/jobs';
import type { App, AppDeps } from './platform/module';
import { InProcessPubSub, RealtimeHub, type PubSub } from './platform/realtime';

export interface Runtime extends AppDeps {
  app: App;
  /** The SMTP intake for inbound email; null unless SMTP_PORT is set. */
  smtp: SmtpIntake | null;
  close(): Promise<void>;
}

export async function openConfiguredDatabase(config: Config, opts: { loadDataDirFrom?: string } = {}): Promise<Database> {
  return config.DATABASE_URL
    ? openDatabase({
        kind: 'postgres',
        url: config.DATABASE_URL,
        poolSize: config.DATABASE_POOL_SIZE,
        preparedStatements: config.DATABASE_PREPARED_STATEMENTS === 'on',
      })
    : openDatabase({ kind: 'pglite', dataDir: opts.loadDataDirFrom ? undefined : config.dataDir, loadDataDirFrom: opts.loadDataDirFrom });
}

/**
 * Boot: database -> migrations -> job queue -> event bus -> realtime -> HTTP app. Workers and the outbox
 * dispatcher start unless WORKER=off (a web-only node when workers run elsewhere).
 */
export async function createRuntime(
  config: Config,
  opts: {
    database?: Database;
    logger?: boolean;
    startWorkers?: boolean;
    pubsub?: PubSub;
    /**
     * false: the database is known to be migrated, with the job queue installed (the test suite's copies of its
     * migrated template), so boot skips the migration check.
     */
    migrate?: boolean;
  } = {},
): Promise<Runtime> {
  const database = opts.database ?? (await openConfiguredDatabase(config));
  try {
    if (opts.migrate !== false) await migrateDatabase(database);
    const events = new EventBus();
    const jobs = new JobQueue(database, { onError: (err, job) => app?.log.warn({ err, job }, 'job failed') });
    events.onError = (err, where) => app?.log.error({ err, where }, 'event bus error');
    events.attach(database.db, jobs);
    // A shared pub/sub (tests of several nodes; later a Redis/NATS adapter) or this process only.
    const hub = new RealtimeHub(opts.pubsub ?? new InProcessPubSub());
    events.onCommit((list) => hub.publish(list));
    const deps: AppDeps = { config, database, events, jobs, hub, authenticator: createAuthenticator({ database }) };
    // eslint-disable-next-line prefer-const
    let app: App = await buildApp(deps, { logger: opts.logger });
    await jobs.install();
    const startWorkers = opts.startWorkers ?? config.WORKER === 'on';
    if (startWorkers) {
      await events.sweepLegacyOutbox();
      jobs.startWorkers();
    }
    const smtp = config.SMTP_PORT !== undefined ? await startSmtpIntake(deps, app.log) : null;
    let closed = false;
    return {
      ...deps,
      app,
      smtp,
      async close() {
        if (closed) return;
        closed = true;
        await smtp?.close(); // no new mail while the rest shuts down
        await app.close(); // stops accepting requests, waits for in-flight ones
        await hub.close();
        await jobs.stop();
        await database.close();
      },
    };
  } catch (err) {
    if (!opts.database) await database.close().catch(() => {});
    throw err;
  }
}
