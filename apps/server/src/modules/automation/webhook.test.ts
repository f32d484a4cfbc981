import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { startReceiver, type Received, type Receiver } from '../../../test/http-receiver';
import { createRuleVia, runsOf, startConversation } from './test-support';

// The receiver listens on 127.0.0.1, which webhooks may only call when private destinations are allowed.
const t = useTestApp({ config: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'on' } });

let receiver: Receiver;
let received: Received[] = [];
let base = '';

beforeAll(async () => {
  receiver = await startReceiver();
  ({ received, base } = receiver);
});
afterAll(() => receiver.close());

/** How a receiver verifies a call (the example of docs/automation.md). */
function verify(secret: string, rawBody: string, header: string | undefined): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`);
  const got = Buffer.from(header ?? '');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

describe('call_webhook', () => {
  it('POSTs signed JSON from a job after the run, and retries with backoff until it succeeds', async () => {
    const acc = await createAccount(t());
    const rule = await createRuleVia(t(), acc.owner.headers, {
      name: 'notify',
      trigger: { event: 'conversation.created' },
      actions: [{ type: 'call_webhook', url: `${base}/hooks/touchpoint?x=1` }],
    });
    receiver.answers.push({ status: 500 });
    const { conversation } = await startConversation(t(), acc.owner.headers);
    await t().settle();
    expect(received).toHaveLength(1);
    const [run] = await runsOf(t(), acc.owner.headers, rule.id);
    expect(run).toMatchObject({ outcome: 'matched', actions: [{ type: 'call_webhook' }] });
    // The run shows the failed attempt, not a silent "matched".
    expect(run!.deliveries).toEqual([
      expect.objectContaining({ actionIndex: 0, url: `${base}/hooks/touchpoint?x=1`, status: 'retrying', httpStatus: 500, attempts: 1 }),
    ]);

    // The retry waits for its backoff; make it due instead of sleeping.
    const [job] = (
      await t().database.pool.query(`select state, start_after > now() as delayed from pgboss.job where name = 'automation-webhook'`)
    ).rows;
    expect(job).toEqual({ state: 'retry', delayed: true });
    await t().database.pool.query(`update pgboss.job set start_after = now() where name = 'automation-webhook' and state = 'retry'`);
    await t().settle();
    expect(received).toHaveLength(2);

    for (const call of received) {
      expect(verify(rule.webhookSecret, call.body, call.headers['x-touchpoint-signature'] as string | undefined)).toBe(true);
      expect(verify('another secret', call.body, call.headers['x-touchpoint-signature'] as string | undefined)).toBe(false);
      const body = JSON.parse(call.body);
      expect(body).toMatchObject({
        rule: { id: rule.id, name: 'notify' },
        event: { type: 'conversation.created' },
        conversation: { id: conversation.id },
      });
    }
    const [done] = (await t().database.pool.query(`select state from pgboss.job where name = 'automation-webhook'`)).rows;
    expect(done).toEqual({ state: 'completed' });
    const [after] = await runsOf(t(), acc.owner.headers, rule.id);
    expect(after!.deliveries).toEqual([expect.objectContaining({ status: 'delivered', httpStatus: 200, attempts: 2, error: null })]);
    expect(after!.actions).toEqual([
      expect.objectContaining({ type: 'call_webhook', delivery: expect.objectContaining({ status: 'delivered' }) }),
    ]);
    expect(after!.error).toBeNull();
  });

  it('records a delivery that failed for good as failed, with the error and attempts, in the run', async () => {
    const acc = await createAccount(t());
    const rule = await createRuleVia(t(), acc.owner.headers, {
      name: 'two hooks',
      trigger: { event: 'conversation.created' },
      actions: [
        { type: 'call_webhook', url: `${base}/hooks/a` },
        { type: 'add_tags', tags: ['hooked'] },
        { type: 'call_webhook', url: `${base}/hooks/b` },
      ],
    });
    receiver.answers.push({ status: 503 }, { status: 204 });
    await startConversation(t(), acc.owner.headers);
    await t().settle();
    // Pretend the first hook's retries are spent: its next attempt is the last one (7 in all; a retry's count goes up
    // when it is picked up).
    receiver.answers.push({ status: 503 });
    await t().database.pool.query(
      `update pgboss.job set start_after = now(), retry_count = 5 where name = 'automation-webhook' and state = 'retry'`,
    );
    await t().settle();
    // The two calls run side by side, so either may have met the 503s.
    const [run] = await runsOf(t(), acc.owner.headers, rule.id);
    const deliveries = run!.deliveries as { actionIndex: number; status: string }[];
    expect(deliveries.map((d) => d.actionIndex)).toEqual([0, 2]);
    const failed = deliveries.find((d) => d.status === 'failed');
    expect(failed).toMatchObject({ httpStatus: 503, attempts: 7, error: 'Webhook answered 503' });
    expect(deliveries.find((d) => d.status === 'delivered')).toMatchObject({ httpStatus: 204, attempts: 1 });
    expect(run!.outcome).toBe('matched');
    expect(run!.error).toBe(`actions.${failed!.actionIndex} (call_webhook): delivery failed after 7 attempts: Webhook answered 503`);
  });
});
