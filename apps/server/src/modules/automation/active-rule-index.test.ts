import { describe, expect, it } from 'vitest';
import { createAccount } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { createRuleVia, startConversation } from './test-support';

const t = useTestApp();

const ruleJobs = async (accountId: string) =>
  (
    await t().database.pool.query(
      `select count(*)::int as n from pgboss.job where name = 'listener' and data->>'listener' = 'automation.event-rules' and data->>'accountId' = $1`,
      [accountId],
    )
  ).rows[0].n as number;

describe('active rule index', () => {
  it('creates no automation job for an account without rules, and a rule saved over the API applies at once', async () => {
    const acc = await createAccount(t());
    const h = acc.owner.headers;
    await startConversation(t(), h);
    await t().settle();
    expect(await ruleJobs(acc.accountId)).toBe(0);

    await createRuleVia(t(), h, {
      name: 'Tag new ones',
      trigger: { event: 'conversation.created' },
      conditions: [],
      actions: [{ type: 'add_tags', tags: ['triage'] }],
    });
    const conv = await startConversation(t(), h);
    await t().settle();
    expect(await ruleJobs(acc.accountId)).toBe(1);
    const res = await t().app.inject({ url: `/api/v1/conversations/${conv.conversation.id}`, headers: h });
    expect(res.json().data.tags).toContain('triage');
  });
});
