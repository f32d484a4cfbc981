import { describe, expect, it } from 'vitest';
import { createAccount, createApiKeyHeaders, createTeam, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { automationCounts, createRuleVia } from './test-support';

const t = useTestApp();
const url = '/api/v1/automation/rules';
const valid = {
  name: 'VIP to urgent',
  trigger: { event: 'conversation.created' },
  conditions: [{ field: 'customer.vip', op: 'eq', value: true }],
  actions: [{ type: 'set_priority', priority: 'urgent' }],
};

describe('automation rules over HTTP', () => {
  it('needs credentials', async () => {
    expect((await t().app.inject({ url })).statusCode).toBe(401);
    expect((await t().app.inject({ method: 'POST', url, payload: valid })).statusCode).toBe(401);
    const id = crypto.randomUUID();
    expect((await t().app.inject({ url: `${url}/${id}/runs` })).statusCode).toBe(401);
    expect((await t().app.inject({ method: 'POST', url: `${url}/${id}/dry-run`, payload: { conversationId: id } })).statusCode).toBe(401);
  });

  it('supervisors manage rules; agents and analysts only read them, without the webhook secret', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const supervisor = await createUser(t(), acc.accountId, 'supervisor');
    for (const u of [agent, analyst]) {
      const res = await t().app.inject({ method: 'POST', url, headers: u.headers, payload: valid });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('forbidden');
    }
    expect(
      (await t().app.inject({ method: 'POST', url, headers: await createApiKeyHeaders(t(), acc.accountId, 'agent'), payload: valid }))
        .statusCode,
    ).toBe(403);
    expect(await automationCounts(t(), acc.accountId)).toEqual({ rules: 0, runs: 0 });

    const rule = await createRuleVia(t(), supervisor.headers, valid);
    expect(rule).toMatchObject({ ...valid, active: true, match: 'all', description: null });
    expect(rule.webhookSecret).toMatch(/^[\w-]{40,}$/);
    const asAgent = await t().app.inject({ url: `${url}/${rule.id}`, headers: agent.headers });
    expect(asAgent.statusCode).toBe(200);
    expect(asAgent.json().data.webhookSecret).toBeUndefined();
    expect(asAgent.json().policies[0].abilities).toEqual({ read: true, manage: false });
    const list = await t().app.inject({ url, headers: analyst.headers });
    expect(list.json().data.map((r: { id: string }) => r.id)).toEqual([rule.id]);

    const patch = await t().app.inject({ method: 'PATCH', url: `${url}/${rule.id}`, headers: agent.headers, payload: { active: false } });
    expect(patch.statusCode).toBe(403);
    const del = await t().app.inject({ method: 'DELETE', url: `${url}/${rule.id}`, headers: analyst.headers });
    expect(del.statusCode).toBe(403);
    expect((await t().app.inject({ url: `${url}/${rule.id}`, headers: agent.headers })).json().data.active).toBe(true);
  });

  it("another account's rule is a 404 for every verb", async () => {
    const a = await createAccount(t());
    const b = await createAccount(t());
    const rule = await createRuleVia(t(), a.owner.headers, valid);
    const h = b.owner.headers;
    expect((await t().app.inject({ url: `${url}/${rule.id}`, headers: h })).statusCode).toBe(404);
    expect((await t().app.inject({ method: 'PATCH', url: `${url}/${rule.id}`, headers: h, payload: { active: false } })).statusCode).toBe(
      404,
    );
    expect((await t().app.inject({ method: 'DELETE', url: `${url}/${rule.id}`, headers: h })).statusCode).toBe(404);
    expect((await t().app.inject({ url: `${url}/${rule.id}/runs`, headers: h })).statusCode).toBe(404);
    expect(await automationCounts(t(), a.accountId)).toEqual({ rules: 1, runs: 0 });
  });

  it('rejects bad definitions with 422 and a clear path, storing nothing', async () => {
    const acc = await createAccount(t());
    const h = acc.owner.headers;
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, conditions: [{ field: 'customer.shoe_size', op: 'eq', value: '42' }] }, 'conditions.0.field'],
      [{ ...valid, conditions: [{ field: 'customer.email', op: 'matches', value: 'x' }] }, 'conditions.0.op'],
      [{ ...valid, conditions: [{ field: 'customer.vip', op: 'eq', value: 'yes' }] }, 'conditions.0.value'],
      [{ ...valid, actions: [{ type: 'launch_rockets' }] }, 'actions.0.type'],
      [{ ...valid, actions: [{ type: 'call_webhook', url: 'file:///etc/passwd' }] }, 'actions.0.url'],
      [{ ...valid, actions: [{ type: 'assign_team', teamId: crypto.randomUUID() }] }, 'actions.0.teamId'],
      [{ ...valid, actions: [{ type: 'assign_agent', userId: crypto.randomUUID() }] }, 'actions.0.userId'],
      [{ ...valid, actions: [{ type: 'apply_macro', macroId: crypto.randomUUID() }] }, 'actions.0.macroId'],
      [{ ...valid, actions: [{ type: 'send_reply', body: 'Hi {{customer.shoe_size}}' }] }, 'actions.0.body'],
      [{ ...valid, trigger: { event: 'user.invited' } }, 'trigger.event'],
      [{ ...valid, trigger: { schedule: 'pending_for', hours: 48, businessHours: true } }, 'trigger.businessHours'],
      [{ ...valid, trigger: { schedule: 'pending_for' } }, 'trigger.hours'],
      [{ ...valid, trigger: { event: 'message.created', hours: 2 } }, 'trigger.hours'],
      [{ ...valid, trigger: { schedule: 'pending_for', hours: -1 } }, 'trigger.hours'],
    ];
    for (const [payload, path] of cases) {
      const res = await t().app.inject({ method: 'POST', url, headers: h, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      // Schema errors carry the request part (`body.`), checks against the database the field path alone.
      expect(res.json().errors.map((e: { path: string }) => e.path.replace(/^body\./, ''))).toContain(path);
    }
    const rule = await createRuleVia(t(), h, valid);
    const bad = await t().app.inject({
      method: 'PATCH',
      url: `${url}/${rule.id}`,
      headers: h,
      payload: { actions: [{ type: 'set_status', status: 'snoozed' }] },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].path).toBe('body.actions.0.status');
    const malformed = await t().app.inject({
      method: 'POST',
      url,
      headers: { ...h, 'content-type': 'application/json' },
      payload: '{"name"',
    });
    expect(malformed.statusCode).toBe(400);
    expect(await automationCounts(t(), acc.accountId)).toEqual({ rules: 1, runs: 0 });
    expect((await t().app.inject({ url: `${url}/${rule.id}`, headers: h })).json().data.actions).toEqual(valid.actions);
  });

  it('stores <script> and SQL verbatim; updates and deletes', async () => {
    const acc = await createAccount(t());
    const teamId = await createTeam(t(), acc.accountId);
    const name = "<script>alert('x')</script>'; drop table automation_rules; --";
    const rule = await createRuleVia(t(), acc.owner.headers, {
      ...valid,
      name,
      conditions: [{ field: 'message.body', op: 'contains', value: "' or 1=1 --" }],
      actions: [{ type: 'assign_team', teamId }],
    });
    expect(rule.name).toBe(name);
    const patched = await t().app.inject({
      method: 'PATCH',
      url: `${url}/${rule.id}`,
      headers: acc.owner.headers,
      payload: { active: false, trigger: { event: 'message.created' }, match: 'any' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().data).toMatchObject({ name, active: false, match: 'any', trigger: { event: 'message.created' } });
    expect((await t().app.inject({ method: 'DELETE', url: `${url}/${rule.id}`, headers: acc.owner.headers })).statusCode).toBe(204);
    expect(await automationCounts(t(), acc.accountId)).toEqual({ rules: 0, runs: 0 });
  });

  it('are described in the OpenAPI document', async () => {
    const res = await t().app.inject({ url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    for (const p of [
      '/api/v1/automation/rules',
      '/api/v1/automation/rules/{id}/dry-run',
      '/api/v1/automation/rules/{id}/runs',
      '/api/v1/macros',
      '/api/v1/macros/{id}/preview',
      '/api/v1/conversations/{id}/macros/{macroId}',
    ])
      expect(paths).toContain(p);
  });
});
