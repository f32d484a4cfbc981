import type { Role } from '@touchpoint/shared';
import { ROLES } from '@touchpoint/shared';
import { eq, or } from 'drizzle-orm';
import type { Config } from '../config';
import { migrateDatabase } from '../db/migrate';
import { accounts } from '../db/schema';
import { withSystem } from '../db/tenant';
import { issueApiKey, signUp } from '../modules/accounts';
import { seedDemo, DEMO_LOGIN } from '../seed/demo';
import { createRuntime, openConfiguredDatabase, type Runtime } from '../server';
import { serve } from './serve';

export const USAGE = `Usage: touchpoint <command> [options]

Commands:
  serve                      Start the server (HTTP, realtime, workers). Default command.
  migrate                    Apply database migrations and exit.
  seed --demo                Create the demo account with sample customers and conversations.
  create-account --name <account> --email <owner email> --password <password> [--owner-name <name>]
  create-api-key --account <slug or id> --role <${ROLES.join('|')}> --name <label>
  jobs failed [--account <slug or id>]   List jobs that exhausted their retries (dead letters).
  jobs retry <job id>        Put a failed job back in its queue.

Configuration comes from environment variables (see README.md): DATABASE_URL switches from the embedded
PGlite database in DATA_DIR (default ./data) to PostgreSQL.`;

type Flags = Record<string, string | boolean | undefined>;

function required(flags: Flags, name: string): string {
  const v = flags[name];
  if (typeof v !== 'string' || v.trim() === '') throw new Error(`--${name} is required\n\n${USAGE}`);
  return v.trim();
}

/** The CLI runs the same commands as the API (signUp, issueApiKey, ...), never raw SQL of its own. */
async function withRuntime<T>(config: Config, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await createRuntime({ ...config, LOG_LEVEL: 'warn' }, { logger: false, startWorkers: false });
  try {
    const result = await fn(rt);
    await rt.events.settle(); // run the listeners of what the command emitted before exiting
    return result;
  } finally {
    await rt.close();
  }
}

async function findAccountId(rt: Runtime, ref: string): Promise<string> {
  const isUuid = /^[0-9a-f-]{36}$/i.test(ref);
  const [row] = await withSystem(rt.database.db, (tx) =>
    tx
      .select({ id: accounts.id })
      .from(accounts)
      .where(isUuid ? or(eq(accounts.id, ref), eq(accounts.slug, ref)) : eq(accounts.slug, ref)),
  );
  if (!row) throw new Error(`No account with slug or id "${ref}"`);
  return row.id;
}

export async function runCommand(command: string, config: Config, flags: Flags, args: string[]): Promise<void> {
  switch (command) {
    case 'serve':
      return serve(config);
    case 'migrate': {
      const database = await openConfiguredDatabase(config);
      try {
        await migrateDatabase(database);
        console.log(`Migrations applied (${database.kind}).`);
      } finally {
        await database.close();
      }
      return;
    }
    case 'seed': {
      if (!flags.demo) throw new Error(`seed needs --demo (the only dataset so far)\n\n${USAGE}`);
      await withRuntime(config, async (rt) => {
        const created = await seedDemo(rt);
        console.log(
          created ? `Demo account created. Log in with ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}` : 'The demo account already exists.',
        );
      });
      return;
    }
    case 'create-account': {
      const email = required(flags, 'email');
      await withRuntime(config, async (rt) => {
        const res = await signUp(rt.database.db, rt.events, {
          accountName: required(flags, 'name'),
          name: typeof flags['owner-name'] === 'string' ? flags['owner-name'] : email.split('@')[0]!,
          email,
          password: required(flags, 'password'),
        });
        console.log(`Account "${res.account.name}" created (slug ${res.account.slug}, id ${res.account.id}); owner ${res.user.email}.`);
      });
      return;
    }
    case 'create-api-key': {
      const role = required(flags, 'role') as Role;
      if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
      await withRuntime(config, async (rt) => {
        const accountId = await findAccountId(rt, required(flags, 'account'));
        const key = await issueApiKey(rt.database.db, rt.events, { accountId, name: required(flags, 'name'), role });
        console.log(`API key "${key.name}" (${key.role}) created. It is shown only once:\n\n  ${key.secret}\n`);
      });
      return;
    }
    case 'jobs': {
      const [sub, id] = args;
      await withRuntime(config, async (rt) => {
        if (sub === 'failed') {
          const accountId = typeof flags.account === 'string' ? await findAccountId(rt, flags.account) : undefined;
          const failed = await rt.jobs.listFailed({ accountId });
          if (failed.length === 0) console.log('No failed jobs.');
          for (const j of failed)
            console.log(`${j.id}  ${j.name}  failed ${j.failedAt?.toISOString() ?? '?'}  ${JSON.stringify(j.error).slice(0, 200)}`);
        } else if (sub === 'retry' && id) {
          const job = (await rt.jobs.listFailed({ limit: 10_000 })).find((j) => j.id === id);
          if (!job) throw new Error(`No failed job ${id}`);
          await rt.jobs.retry(job.name, job.id);
          console.log(`Job ${id} (${job.name}) queued again.`);
        } else throw new Error(`jobs needs "failed" or "retry <id>"\n\n${USAGE}`);
      });
      return;
    }
    default:
      throw new Error(`Unknown command "${command}"\n\n${USAGE}`);
  }
}
