import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useTestApp } from '../../test/harness';
import { defineJob } from './jobs';

const t = useTestApp({ isolated: true }); // registers test jobs and drains every queue

/** Jobs are registered before install(); these tests register extra queues on the test app's JobQueue. */
async function register<T>(def: Parameters<typeof defineJob<T>>[0]) {
  const job = defineJob(def);
  t().jobs.register(job);
  await t().jobs.install();
  return job;
}

describe('job queue (pg-boss)', () => {
  it('runs a job once with its validated data, and dedupes by key', async () => {
    const seen: string[] = [];
    const job = await register({ name: 'test.dedupe', schema: z.object({ v: z.string() }), run: async ({ v }) => void seen.push(v) });
    await t().jobs.enqueue(job, { v: 'a' }, { dedupeKey: 'k1' });
    await t().jobs.enqueue(job, { v: 'b' }, { dedupeKey: 'k1' });
    await t().jobs.enqueue(job, { v: 'c' });
    await t().settle(); // jobs.drain(), once the database clock has moved past what was just written (PGlite: 1 ms resolution)
    expect(seen.sort()).toEqual(['a', 'c']);
  });

  it('rejects data that does not match the job schema at enqueue time', async () => {
    const job = await register({ name: 'test.schema', schema: z.object({ n: z.number() }), run: async () => {} });
    await expect(t().jobs.enqueue(job, { n: 'x' } as unknown as { n: number })).rejects.toThrow();
  });

  it('does not run a job before runAt', async () => {
    let runs = 0;
    const job = await register({ name: 'test.later', schema: z.object({}), run: async () => void runs++ });
    await t().jobs.enqueue(job, {}, { runAt: new Date(Date.now() + 60_000) });
    await t().settle();
    expect(runs).toBe(0);
  });

  it('retries with exponential backoff, then dead-letters; a failed job can be listed and retried', async () => {
    let attempts = 0;
    let healthy = false;
    const job = await register({
      name: 'test.flaky',
      schema: z.object({ accountId: z.string() }),
      options: { retryLimit: 2, retryDelay: 1, retryBackoff: true },
      run: async () => {
        attempts++;
        if (!healthy) throw new Error('downstream is down');
      },
    });
    const accountId = '00000000-0000-4000-8000-000000000001';
    await t().jobs.enqueue(job, { accountId });
    // First attempt fails; the retry is scheduled in the future (backoff), so drain does not run it again.
    await t().settle();
    expect(attempts).toBe(1);
    const [row] = (await t().database.pool.query(`select state, start_after > now() as delayed from pgboss.job where name = 'test.flaky'`))
      .rows;
    expect(row).toEqual({ state: 'retry', delayed: true });
    // Make the retries due now (instead of sleeping through the backoff) and exhaust them.
    for (let i = 0; i < 2; i++) {
      await t().database.pool.query(`update pgboss.job set start_after = now() where name = 'test.flaky' and state = 'retry'`);
      await t().settle();
    }
    expect(attempts).toBe(3);
    const failed = await t().jobs.listFailed({ accountId });
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toMatchObject({ message: 'downstream is down' });
    healthy = true;
    await t().jobs.retry('test.flaky', failed[0]!.id);
    await t().settle();
    expect(attempts).toBe(4);
    expect(await t().jobs.listFailed({ accountId })).toHaveLength(0);
  });

  it('runs again a job whose worker died (visibility timeout)', async () => {
    let runs = 0;
    const job = await register({
      name: 'test.visibility',
      schema: z.object({}),
      options: { expireInSeconds: 1, retryDelay: 0, retryBackoff: false },
      run: async () => void runs++,
    });
    await t().jobs.enqueue(job, {});
    // A worker fetched it (state active) and was killed before completing: simulate by fetching without running.
    await t().database.pool.query(
      `update pgboss.job set state = 'active', started_on = now() - interval '10 seconds' where name = 'test.visibility'`,
    );
    // pg-boss's supervisor fails expired jobs into retry; run it now instead of waiting for its interval.
    await (t().jobs as unknown as { boss: { maintain(): Promise<void> } }).boss.maintain();
    await t().settle();
    expect(runs).toBe(1);
  });

  it('an enqueue inside a rolled-back transaction leaves no job', async () => {
    let runs = 0;
    const job = await register({ name: 'test.tx', schema: z.object({}), run: async () => void runs++ });
    await t()
      .database.db.transaction(async (tx) => {
        await t().jobs.enqueue(job, {}, { tx });
        throw new Error('rollback');
      })
      .catch(() => {});
    await t().settle();
    expect(runs).toBe(0);
  });
});

describe('graceful shutdown', () => {
  it('stop() lets a running job finish, completes it, and starts no new ones', async () => {
    const { createTestApp } = await import('../../test/harness');
    const app = await createTestApp();
    let release!: () => void;
    const started: string[] = [];
    const finished: string[] = [];
    const job = defineJob({
      name: 'test.slow',
      schema: z.object({ n: z.string() }),
      run: async ({ n }) => {
        started.push(n);
        if (n === 'first') await new Promise<void>((r) => (release = r));
        finished.push(n);
      },
    });
    app.jobs.register(job);
    await app.jobs.install();
    await app.jobs.enqueue(job, { n: 'first' });
    app.jobs.startWorkers();
    while (started.length === 0) await new Promise((r) => setTimeout(r, 20));
    await app.jobs.enqueue(job, { n: 'second' }); // queued while the first runs
    const stopping = app.jobs.stop();
    setTimeout(() => release(), 100);
    await stopping;
    expect(finished).toEqual(['first']);
    const { rows } = await app.database.pool.query(
      `select data->>'n' as n, state from pgboss.job where name = 'test.slow' order by created_on`,
    );
    expect(rows).toEqual([
      { n: 'first', state: 'completed' },
      { n: 'second', state: 'created' }, // left for the next worker, not lost
    ]);
    await app.close();
  });
});
