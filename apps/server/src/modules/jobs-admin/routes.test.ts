import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAccount, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { defineJob } from '../../platform/jobs';

const t = useTestApp();

let healthy = false;
const flaky = defineJob({
  name: 'test.jobs-admin',
  schema: z.object({ accountId: z.string() }),
  options: { retryLimit: 0 },
  run: async () => {
    if (!healthy) throw new Error('webhook endpoint answered 500');
  },
});

/** A job of this account that failed for good (retryLimit 0), as a dead letter. */
async function deadLetterFor(accountId: string) {
  if (!(t().jobs as unknown as { defs: Map<string, unknown> }).defs.has(flaky.name)) {
    t().jobs.register(flaky);
    await t().jobs.install();
  }
  await t().jobs.enqueue(flaky, { accountId });
  await t().jobs.drain();
}

const get = (headers: Record<string, string>) => t().app.inject({ url: '/api/v1/jobs/failed', headers });
const retry = (id: string, headers: Record<string, string>) =>
  t().app.inject({ method: 'POST', url: `/api/v1/jobs/failed/${id}/retry`, headers });

describe('failed jobs (dead letters) over HTTP', () => {
  it('needs credentials and the admin role', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    expect((await get({})).statusCode).toBe(401);
    const res = await get(agent.headers);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('forbidden');
  });

  it('lists only this account\u2019s failed jobs, with the error, and retries one', async () => {
    healthy = false;
    const a = await createAccount(t());
    const b = await createAccount(t());
    await deadLetterFor(a.accountId);
    await deadLetterFor(b.accountId);
    const listed = (await get(a.owner.headers)).json().data;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      name: 'test.jobs-admin',
      data: { accountId: a.accountId },
      error: { message: 'webhook endpoint answered 500' },
    });

    // Another account's dead letter is a 404 here, and stays failed.
    const bJob = (await get(b.owner.headers)).json().data[0];
    expect((await retry(bJob.id, a.owner.headers)).statusCode).toBe(404);
    expect((await get(b.owner.headers)).json().data).toHaveLength(1);

    healthy = true;
    const res = await retry(listed[0].id, a.owner.headers);
    expect(res.statusCode).toBe(202);
    await t().jobs.drain();
    expect((await get(a.owner.headers)).json().data).toHaveLength(0);
  });

  it('rejects a malformed job id with 422 and changes nothing', async () => {
    const acc = await createAccount(t());
    const res = await retry('not-a-uuid', acc.owner.headers);
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
