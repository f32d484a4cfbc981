import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import type { z } from 'zod';
import type { Database, DbOrTx } from '../db/client';

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
}

export function defineJob<T>(def: JobDefinition<T>): JobDefinition<T> {
  return def;
}

export interface EnqueueOptions {
  /** Run no earlier than this. */
  runAt?: Date;
  /** Jobs with the same name and key are stored once (while the first one is kept). */
  dedupeKey?: string;
  /** Enqueue inside this transaction: the job exists only if the transaction commits. */
  tx?: DbOrTx;
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

function executorFor(db: DbOrTx): PgBoss.Db {
  // drizzle keeps the node-postgres client of a transaction on its session.
  const client = (db as unknown as { session: { client: { query: PgBoss.Db['executeSql'] } } }).session.client;
  return { executeSql: (text, values) => client.query(text, values) };
}

/**
 * Typed jobs over pg-boss (PostgreSQL `SKIP LOCKED`, retries with exponential backoff, visibility timeout,
 * dead letters). Works on PostgreSQL and on PGlite through the same node-postgres pool.
 */
export class JobQueue {
  private readonly boss: PgBoss;
  private readonly defs = new Map<string, JobDefinition<unknown>>();
  private running = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly wakers = new Map<string, () => void>();
  private loops: Promise<void>[] = [];

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
    for (const def of this.defs.values()) {
      const o = { ...DEFAULTS, ...def.options };
      await this.boss.createQueue(def.name, { name: def.name, policy: 'standard', ...o });
    }
  }

  async enqueue<T>(def: JobDefinition<T>, data: T, options: EnqueueOptions = {}): Promise<void> {
    if (!this.defs.has(def.name)) throw new Error(`Job ${def.name} is not registered`);
    const o = { ...DEFAULTS, ...def.options };
    await this.boss.insert(
      [
        {
          name: def.name,
          id: options.dedupeKey ? idFromKey(def.name, options.dedupeKey) : undefined,
          data: def.schema.parse(data) as object,
          startAfter: options.runAt,
          ...o,
        },
      ],
      options.tx ? { db: executorFor(options.tx) } : {},
    );
    this.wakers.get(def.name)?.();
  }

  /** Starts one polling loop per queue. */
  startWorkers(): void {
    if (this.running) return;
    this.running = true;
    this.loops = [...this.defs.keys()].map((name) => this.loop(name));
  }

  private async loop(name: string): Promise<void> {
    const interval = this.opts.pollIntervalMs ?? 500;
    while (this.running) {
      let got = 0;
      try {
        got = await this.runBatch(name);
      } catch (err) {
        this.opts.onError?.(err, name);
      }
      if (got > 0 || !this.running) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, interval);
        function done() {
          clearTimeout(t);
          resolve();
        }
        this.wakers.set(name, done);
      });
    }
  }

  /** Fetches and runs one batch of a queue; returns how many jobs ran. */
  async runBatch(name: string): Promise<number> {
    const def = this.defs.get(name);
    if (!def) throw new Error(`Job ${name} is not registered`);
    const jobs = await this.boss.fetch<unknown>(name, { batchSize: this.opts.batchSize ?? 20, includeMetadata: true });
    for (const job of jobs) {
      const p = this.runOne(def, job);
      this.inFlight.add(p);
      await p.finally(() => this.inFlight.delete(p));
    }
    return jobs.length;
  }

  private async runOne(def: JobDefinition<unknown>, job: PgBoss.JobWithMetadata<unknown>): Promise<void> {
    try {
      const data = def.schema.parse(job.data);
      await def.run(data, { id: job.id, retryCount: job.retryCount });
      await this.boss.complete(def.name, job.id);
    } catch (err) {
      const e = err as Error;
      this.opts.onError?.(err, def.name);
      await this.boss.fail(def.name, job.id, { message: e?.message ?? String(err), stack: e?.stack });
    }
  }

  /** Runs every due job until all queues are empty (tests and CLI use it instead of waiting on polls). */
  async drain(maxRounds = 50): Promise<void> {
    for (let round = 0; round < maxRounds; round++) {
      let ran = 0;
      for (const name of this.defs.keys()) ran += await this.runBatch(name);
      if (ran === 0) return;
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
    this.wakers.get(name)?.();
  }

  async getJob(name: string, id: string) {
    return this.boss.getJobById(name, id, { includeArchive: true });
  }

  /** Graceful shutdown: stop fetching, let running jobs finish. */
  async stop(): Promise<void> {
    this.running = false;
    for (const wake of this.wakers.values()) wake();
    await Promise.allSettled(this.loops);
    await Promise.allSettled([...this.inFlight]);
    await this.boss.stop({ graceful: false, wait: true, close: false });
  }
}

export { idFromKey as jobIdFromKey };
