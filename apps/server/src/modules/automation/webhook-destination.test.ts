import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { startReceiver, type Receiver } from '../../../test/http-receiver';
import { createRuleVia, startConversation } from './test-support';

const t = useTestApp(); // WEBHOOK_ALLOW_PRIVATE_NETWORKS defaults to off

let receiver: Receiver;
beforeAll(async () => void (receiver = await startReceiver()));
afterAll(() => receiver.close());

describe('call_webhook destinations', () => {
  it('never calls a loopback or private address by default: the job fails with the reason', async () => {
    const acc = await createAccount(t());
    await createRuleVia(t(), acc.owner.headers, {
      name: 'exfiltrate',
      trigger: { event: 'conversation.created' },
      actions: [{ type: 'call_webhook', url: `${receiver.base}/internal-admin` }],
    });
    await startConversation(t(), acc.owner.headers);
    await t().settle();
    expect(receiver.hits()).toBe(0);
    const { rows } = await t().database.pool.query<{ state: string; message: string }>(
      `select state, output->>'message' as message from pgboss.job where name = 'automation-webhook'`,
    );
    expect(rows).toEqual([
      { state: 'retry', message: expect.stringMatching(/^Refusing to call 127\.0\.0\.1: .* private or reserved address/) },
    ]);
  });
});
