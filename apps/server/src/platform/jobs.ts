import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import type { z } from 'zod';
import type { Database, Tx } from '../db/client';
import { rawQuery } from '../db/raw-query';
import { unitOf, type JobRow } from './outbox';

export interface JobOptions {
  retryLimit?: number;
  /** Seconds before the first retry; doubled each time with retryBackoff. */
  retryDelay?: number;
  retryBackoff?: boolean;
  /** Visibility timeout: a job still active after this (its worker died) is failed and retried. */
  expireInSeconds?: number;
}

export interface JobDefinition<T> {
  name: string;
  schema: z.ZodType<T>;
  run(data: T, meta: { id: string; retryCount: number }): Promise<void>;
  options?: JobOptions;
  /** Jobs of a batch with the same key run one after another, in order; the rest run side by side. */
  groupBy?: (data: T) => string;
}

export function defineJob<T>(def: JobDefinition<T>): JobDefinition<T> {
  return def;
}

export interface EnqueueOptions {
  /** Run no earlier than this. */
  runAt?: Date;
  /** Jobs with the same name and key are stored once (while the first one is kept). */
  dedupeKey?: string;
  /**
   * Enqueue inside this transaction: the job exists only if the transaction commits. Inside a command() it is
   * written with the command's events, in the same statement, just before COMMIT.
   */
  tx?: Tx;
}

export interface FailedJob {
  id: string;
  name: string;
  data: unknown;
  error: unknown;
  retryCount: number;
  failedAt: Date | null;
  createdAt: Date;
}

const DEFAULTS: Required<JobOptions> = { retryLimit: 5, retryDelay: 2, retryBackoff: true, expireInSeconds: 300 };
const SCHEMA = 'pgboss';

/** A deterministic UUID from a dedupe key: pg-boss inserts are ON CONFLICT (name, id) DO NOTHING. */
function idFromKey(name: string, key: string): string {
  const h = createHash('sha256').update(`${name}\0${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Due work is looked for with one statement per poll across every queue (pg-boss's partial index job_i5). */
const DUE_QUEUES = `select distinct name from ${SCHEMA}.job where state < 'active' and start_after < now()`;
/** Jobs one process runs at once, across queues: enough to hide a slow webhook, few enough for a small pool. */
const MAX_CONCURRENT = 16;

/**
 * Typed jobs over pg-boss (PostgreSQL `SKIP LOCKED`, retries with exponential backoff, visibility timeout,
 * dead letters). Works on PostgreSQL and on PGlite through the same node-postgres pool.
 */
export class JobQueue {
  private readonly boss: PgBoss;
  private readonly defs = new Map<string, JobDefinition<unknown>>();
  private running = false;
  private readonly inFlight = new Set<Promise<void>>();
  private waker: (() => void) | null = null;
  private woken = false;
  private loopDone: Promise<void> | null = null;
  /** Counters for operators (GET /readyz shows them): jobs run, failed attempts, polls. */
  readonly stats = { ran: 0, failed: 0, polls: 0 };

  constructor(
    private readonly database: Database,
    private readonly opts: { pollIntervalMs?: number; batchSize?: number; onError?: (err: unknown, job: string) => void } = {},
  ) {
    this.boss = new PgBoss({
      db: { executeSql: (text, values) => database.pool.query(text, values) },
      schema: SCHEMA,
      supervise: true,
      schedule: false,
      maintenanceIntervalSeconds: 60,
    });
    this.boss.on('error', (err) => this.opts.onError?.(err, 'pg-boss'));
  }

  register<T>(def: JobDefinition<T>): void {
    if (this.defs.has(def.name)) throw new Error(`Job ${def.name} is defined twice`);
    this.defs.set(def.name, def as JobDefinition<unknown>);
  }

  /** Installs the queue schema and creates the queues; does not start workers. */
  async install(): Promise<void> {
    await this.boss.start();
    // One read tells which queues exist; only new ones are created (create_queue does nothing for an existing one).
    const existing = new Set((await this.boss.getQueues()).map((q) => q.name));
    for (const def of this.defs.values()) {
      if (existing.has(def.name)) continue;
      const o = { ...DEFAULTS, ...def.options };
      await this.boss.createQueue(def.name, { name: def.name, policy: 'standard', ...o });
    }
  }

  /** The row `touchpoint_enqueue` writes for this job (validated now, so a bad job fails its command). */
  jobRow<T>(def: JobDefinition<T>, data: T, options: Omit<EnqueueOptions, 'tx'> = {}): JobRow {
    if (!this.defs.has(def.name)) throw new Error(`Job ${def.name} is not registered`);
    const o = { ...DEFAULTS, ...def.options };
    return {
      ...(options.dedupeKey ? { id: idFromKey(def.name, options.dedupeKey) } : {}),
      name: def.name,
      data: def.schema.parse(data),
      ...(options.runAt ? { start_after: options.runAt.toISOString() } : {}),
      expire_in_seconds: o.expireInSeconds,
      retry_limit: o.retryLimit,
      retry_delay: o.retryDelay,
      retry_backoff: o.retryBackoff,
    };
  }

  /** Writes job rows through the transaction (the tenant role may call touchpoint_enqueue, not touch pg-boss). */
  async insertRows(tx: Tx, rows: JobRow[]): Promise<void> {
    if (rows.length > 0) await rawQuery(tx, 'select touchpoint_enqueue($1::json)', [JSON.stringify(rows)]);
  }

  /**
   * Enqueues a job. With `tx` it commits with that transaction (inside a command, in the command's closing
   * statement); without, it is written at once (schedules and sweeps that change nothing else).
   */
  async enqueue<T>(def: JobDefinition<T>, data: T, options: EnqueueOptions = {}): Promise<void> {
    const row = this.jobRow(def, data, options);
    if (options.tx) {
      const unit = unitOf(options.tx);
      if (unit) unit.jobs.push({ job: row });
      else await this.insertRows(options.tx, [row]);
      return;
    }
    await this.database.pool.query('select touchpoint_enqueue($1::json)', [JSON.stringify([row])]);
    this.wake([def.name]);
  }

  /** Work was committed for these queues on this node: look now instead of at the next poll. */
  wake(queues: Iterable<string>): void {
    for (const _ of queues) {
      this.woken = true;
      this.waker?.();
      return;
    }
  }

  /**
   * Starts the worker: one statement per poll finds the queues with due jobs (jobs committed on this node wake it
   * at once; other nodes' and delayed jobs are found by the poll), then each due queue's batch runs.
   */
  startWorkers(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  private async loop(): Promise<void> {
    const interval = this.opts.pollIntervalMs ?? 1000;
    while (this.running) {
      this.woken = false;
      let ran = 0;
      try {
        ran = await this.runDue();
      } catch (err) {
        this.opts.onError?.(err, 'poll');
      }
      if (!this.running || ran > 0 || this.woken) continue;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          this.waker = null;
          resolve();
        };
        const t = setTimeout(done, interval);
        this.waker = done;
      });
    }
  }

  /** The queues with due jobs (one statement). */
  async dueQueues(): Promise<string[]> {
    this.stats.polls++;
    const { rows } = await this.database.pool.query<{ name: string }>(DUE_QUEUES);
    return rows.map((r) => r.name).filter((n) => this.defs.has(n));
  }

  /** Runs one batch of every queue with due jobs, side by side; returns how many jobs ran. */
  async runDue(): Promise<number> {
    const due = await this.dueQueues();
    const counts = await Promise.all(due.map((name) => this.runBatch(name)));
    return counts.reduce((a, b) => a + b, 0);
  }

  /**
   * Fetches and runs one batch of a queue: its jobs run concurrently (jobs with the same group key in order), the
   * successes are completed in one statement, failures one by one (each keeps its own error and retry).
   */
  async runBatch(name: string): Promise<number> {
    const def = this.defs.get(name);
    if (!def) throw new Error(`Job ${name} is not registered`);
    const jobs = await this.boss.fetch<unknown>(name, { batchSize: this.opts.batchSize ?? 20, includeMetadata: true });
    if (jobs.length === 0) return 0;
    const groups = new Map<string, PgBoss.JobWithMetadata<unknown>[]>();
    // The fetch returns rows in no particular order; a group runs in the order the jobs were written.
    jobs.sort((a, b) => a.createdOn.getTime() - b.createdOn.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const job of jobs) {
      let key = job.id;
      try {
        key = def.groupBy ? def.groupBy(def.schema.parse(job.data)) : job.id;
      } catch {
        /* an unparsable job fails on its own in runOne */
      }
      const list = groups.get(key);
      if (list) list.push(job);
      else groups.set(key, [job]);
    }
    const done: string[] = [];
    const slots = new Slots(MAX_CONCURRENT);
    await Promise.all(
      [...groups.values()].map((list) =>
        slots.run(async () => {
          for (const job of list) if (await this.runOne(def, job)) done.push(job.id);
        }),
      ),
    );
    if (done.length > 0) await this.boss.complete(name, done);
    return jobs.length;
  }

  private async runOne(def: JobDefinition<unknown>, job: PgBoss.JobWithMetadata<unknown>): Promise<boolean> {
    const p = (async () => {
      try {
        const data = def.schema.parse(job.data);
        await def.run(data, { id: job.id, retryCount: job.retryCount });
        this.stats.ran++;
        return true;
      } catch (err) {
        const e = err as Error;
        this.stats.failed++;
        this.opts.onError?.(err, def.name);
        await this.boss.fail(def.name, job.id, { message: e?.message ?? String(err), stack: e?.stack });
        return false;
      }
    })();
    const tracked = p.then(() => undefined);
    this.inFlight.add(tracked);
    try {
      return await p;
    } finally {
      this.inFlight.delete(tracked);
    }
  }

  /** Runs every due job until no queue has any (tests and the CLI use it instead of waiting for polls). */
  async drain(maxRounds = 50): Promise<void> {
    for (let round = 0; round < maxRounds; round++) {
      if ((await this.runDue()) === 0) return;
    }
  }

  async listFailed(filter: { accountId?: string; limit?: number } = {}): Promise<FailedJob[]> {
    const { rows } = await this.database.pool.query(
      `select id, name, data, output, retry_count, completed_on, created_on from ${SCHEMA}.job
        where state = 'failed' and ($1::text is null or data->>'accountId' = $1)
        order by completed_on desc nulls last limit $2`,
      [filter.accountId ?? null, filter.limit ?? 100],
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      data: r.data,
      error: r.output,
      retryCount: r.retry_count,
      failedAt: r.completed_on,
      createdAt: r.created_on,
    }));
  }

  /** Puts a failed (dead-lettered) job back in its queue. */
  async retry(name: string, id: string): Promise<void> {
    await this.boss.retry(name, id);
    this.wake([name]);
  }

  async getJob(name: string, id: string) {
    return this.boss.getJobById(name, id, { includeArchive: true });
  }

  /** Graceful shutdown: stop fetching, let running jobs finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.waker?.();
    await this.loopDone?.catch(() => {});
    await Promise.allSettled([...this.inFlight]);
    await this.boss.stop({ graceful: false, wait: true, close: false });
  }
}

export { idFromKey as jobIdFromKey };

/** At most n tasks at a time. */
class Slots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly n: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.n) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
