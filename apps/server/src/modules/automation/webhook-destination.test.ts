import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { automationRules } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import { createAccount } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { startReceiver, type Receiver } from '../../../test/http-receiver';
import { createRuleVia, startConversation } from './test-support';

const t = useTestApp(); // WEBHOOK_ALLOW_PRIVATE_NETWORKS defaults to off

let receiver: Receiver;
beforeAll(async () => void (receiver = await startReceiver()));
afterAll(() => receiver.close());

describe('call_webhook destinations', () => {
  it('refuses a loopback, private, metadata or unresolvable destination with 422 when the rule is saved', async () => {
    const acc = await createAccount(t());
    const save = (url: string, method: 'POST' | 'PATCH' = 'POST', id = '') =>
      t().app.inject({
        method,
        url: `/api/v1/automation/rules${id ? `/${id}` : ''}`,
        headers: acc.owner.headers,
        payload: { name: 'exfiltrate', trigger: { event: 'conversation.created' }, actions: [{ type: 'call_webhook', url }] },
      });
    for (const url of [
      `${receiver.base}/internal-admin`,
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/',
      'http://localhost:9/x',
    ]) {
      const res = await save(url);
      expect(res.statusCode, url).toBe(422);
      expect(res.json().errors, url).toEqual([
        {
          path: 'body.actions.0.url',
          message: expect.stringMatching(/private or reserved address; set WEBHOOK_ALLOW_PRIVATE_NETWORKS=on/),
        },
      ]);
    }
    const unresolvable = await save('https://hooks.touchpoint.invalid/x');
    expect(unresolvable.statusCode).toBe(422);
    expect(unresolvable.json().errors[0].message).toMatch(/^Cannot resolve hooks\.touchpoint\.invalid/);

    const rule = await createRuleVia(t(), acc.owner.headers, {
      name: 'public',
      trigger: { event: 'conversation.created' },
      actions: [{ type: 'call_webhook', url: 'https://93.184.216.34/hook' }],
    });
    expect((await save(`${receiver.base}/internal-admin`, 'PATCH', rule.id)).statusCode).toBe(422);
    const rules = await withSystem(t().database.db, (tx) =>
      tx.select().from(automationRules).where(eq(automationRules.accountId, acc.accountId)),
    );
    expect(rules.map((r) => r.name)).toEqual(['public']);
  });

  it('still never calls a loopback or private address at delivery (a name may resolve elsewhere by then): the job fails with the reason', async () => {
    const acc = await createAccount(t());
    const rule = await createRuleVia(t(), acc.owner.headers, {
      name: 'exfiltrate',
      trigger: { event: 'conversation.created' },
      actions: [{ type: 'call_webhook', url: 'https://93.184.216.34/hook' }],
    });
    // As if the saved destination now led inside: the check at save time has passed, the one at delivery must hold.
    await withSystem(t().database.db, (tx) =>
      tx
        .update(automationRules)
        .set({ actions: [{ type: 'call_webhook', url: `${receiver.base}/internal-admin` }] })
        .where(eq(automationRules.id, rule.id)),
    );
    await startConversation(t(), acc.owner.headers);
    await t().settle();
    expect(receiver.hits()).toBe(0);
    const { rows } = await t().database.pool.query<{ state: string; message: string }>(
      `select state, output->>'message' as message from pgboss.job where name = 'automation-webhook' and data->>'ruleId' = $1`,
      [rule.id],
    );
    expect(rows).toEqual([
      { state: 'retry', message: expect.stringMatching(/^Refusing to call 127\.0\.0\.1: .* private or reserved address/) },
    ]);
  });
});
