import { describe, expect, it } from 'vitest';
import { createAccount, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { automationCounts, countsOf, createRuleVia, eventsOf, runsOf, startConversation } from './test-support';

const t = useTestApp();
type H = Record<string, string>;

const getConversation = async (h: H, id: string) => (await t().app.inject({ url: `/api/v1/conversations/${id}`, headers: h })).json().data;
const messagesOf = async (h: H, id: string) =>
  (await t().app.inject({ url: `/api/v1/conversations/${id}/messages?limit=100`, headers: h })).json().data as {
    kind: string;
    authorKind: string;
    body: string;
  }[];

async function vipCustomer(h: H) {
  const res = await t().app.inject({ method: 'POST', url: '/api/v1/customers', headers: h, payload: { name: 'Vera Vip', vip: true } });
  return res.json().data.id as string;
}

describe('event rules', () => {
  it('run matching rules with an automation actor and record every evaluation', async () => {
    const acc = await createAccount(t());
    const h = acc.owner.headers;
    const rule = await createRuleVia(t(), h, {
      name: 'VIP first',
      trigger: { event: 'conversation.created' },
      conditions: [
        { field: 'customer.vip', op: 'eq', value: true },
        { field: 'conversation.channelKind', op: 'eq', value: 'api' },
      ],
      actions: [
        { type: 'set_priority', priority: 'urgent' },
        { type: 'add_tags', tags: ['VIP'] },
        { type: 'send_reply', body: 'Hi {{customer.first_name}}, we are on it (#{{conversation.number}}).' },
        { type: 'add_note', body: 'Auto-escalated for {{customer.name}}' },
      ],
    });
    const vip = await startConversation(t(), h, { customerId: await vipCustomer(h), tags: ['billing'] });
    const plain = await startConversation(t(), h);
    await t().settle();

    expect(await getConversation(h, vip.conversation.id)).toMatchObject({ priority: 'urgent', tags: ['billing', 'vip'] });
    const msgs = await messagesOf(h, vip.conversation.id);
    expect(msgs.map((m) => [m.kind, m.authorKind, m.body])).toEqual(
      expect.arrayContaining([
        ['outgoing', 'bot', `Hi Vera, we are on it (#${vip.conversation.number}).`],
        ['note', 'bot', 'Auto-escalated for Vera Vip'],
      ]),
    );
    expect(await getConversation(h, plain.conversation.id)).toMatchObject({ priority: 'normal' });

    const evts = await eventsOf(t(), acc.accountId, vip.conversation.id);
    const byRule = evts.filter((e) => e.actorKind === 'automation');
    expect(byRule.length).toBeGreaterThan(0);
    expect(byRule.every((e) => e.actorId === rule.id && e.causationDepth === 1 && e.causationId === evts[0]!.id)).toBe(true);

    const runs = await runsOf(t(), h, rule.id);
    expect(runs.map((r) => r.outcome).sort()).toEqual(['matched', 'not_matched']);
    expect(runs.find((r) => r.outcome === 'matched')!.actions).toHaveLength(4);

    // Delivered again (at least once delivery): nothing runs twice.
    const before = await countsOf(t(), acc.accountId);
    await t().settle();
    expect(await countsOf(t(), acc.accountId)).toEqual(before);
    expect(await runsOf(t(), h, rule.id)).toHaveLength(2);
  });

  it('a rule pair that would ping-pong forever stops at causation depth 3, runs recorded as skipped', async () => {
    const acc = await createAccount(t());
    const h = acc.owner.headers;
    const up = await createRuleVia(t(), h, {
      name: 'high -> urgent',
      trigger: { event: 'conversation.priority_changed' },
      conditions: [{ field: 'conversation.priority', op: 'eq', value: 'high' }],
      actions: [{ type: 'set_priority', priority: 'urgent' }],
    });
    const down = await createRuleVia(t(), h, {
      name: 'urgent -> high',
      trigger: { event: 'conversation.priority_changed' },
      conditions: [{ field: 'conversation.priority', op: 'eq', value: 'urgent' }],
      actions: [{ type: 'set_priority', priority: 'high' }],
    });
    const { conversation } = await startConversation(t(), h);
    const res = await t().app.inject({
      method: 'PATCH',
      url: `/api/v1/conversations/${conversation.id}`,
      headers: h,
      payload: { priority: 'high' },
    });
    expect(res.statusCode).toBe(200);
    await t().settle();

    const changes = (await eventsOf(t(), acc.accountId, conversation.id)).filter((e) => e.type === 'conversation.priority_changed');
    expect(changes.map((e) => [e.causationDepth, e.actorKind, e.actorId])).toEqual([
      [0, 'user', acc.owner.userId],
      [1, 'automation', up.id],
      [2, 'automation', down.id],
      [3, 'automation', up.id],
    ]);
    expect((await getConversation(h, conversation.id)).priority).toBe('urgent');
    const outcomes = async (ruleId: string) =>
      Object.fromEntries(
        (await runsOf(t(), h, ruleId)).map((r) => [
          changes.findIndex((e) => e.id === r.eventId),
          `${r.outcome}${r.reason ? `:${r.reason}` : ''}`,
        ]),
      );
    expect(await outcomes(up.id)).toEqual({
      0: 'matched',
      1: 'skipped:caused_by_this_rule',
      2: 'matched',
      3: 'skipped:caused_by_this_rule',
    });
    expect(await outcomes(down.id)).toEqual({
      0: 'not_matched',
      1: 'matched',
      2: 'skipped:caused_by_this_rule',
      3: 'skipped:causation_depth_limit (3)',
    });
  });

  it('records a failed run with the error when an action cannot be applied', async () => {
    const acc = await createAccount(t());
    const h = acc.owner.headers;
    const agent = await createUser(t(), acc.accountId, 'agent');
    const rule = await createRuleVia(t(), h, {
      name: 'to agent',
      trigger: { event: 'conversation.created' },
      actions: [
        { type: 'add_tags', tags: ['seen'] },
        { type: 'assign_agent', userId: agent.userId },
      ],
    });
    // The agent becomes an analyst after the rule was saved: assigning fails at run time.
    await t().app.inject({ method: 'PATCH', url: `/api/v1/users/${agent.userId}`, headers: h, payload: { role: 'analyst' } });
    const { conversation } = await startConversation(t(), h);
    await t().settle();
    const [run] = await runsOf(t(), h, rule.id);
    expect(run).toMatchObject({ outcome: 'failed', actions: [{ type: 'add_tags', tags: ['seen'] }] });
    expect(run!.error).toContain('actions.1 (assign_agent)');
    expect((await getConversation(h, conversation.id)).tags).toEqual(['seen']);
  });

  it('react to message conditions: apply a shared macro, move tags and assign a team', async () => {
    const acc = await createAccount(t());
    const h = acc.owner.headers;
    const team = await t().app.inject({ method: 'POST', url: '/api/v1/teams', headers: h, payload: { name: 'Billing' } });
    const teamId = team.json().data.id as string;
    const macro = await t().app.inject({
      method: 'POST',
      url: '/api/v1/macros',
      headers: h,
      payload: {
        name: 'Refunds',
        body: 'Refunds take 5 days, {{customer.first_name}}.',
        visibility: 'shared',
        actions: { addTags: ['refund'] },
      },
    });
    const rule = await createRuleVia(t(), h, {
      name: 'Refund requests',
      trigger: { event: 'message.created' },
      match: 'all',
      conditions: [
        { field: 'message.authorKind', op: 'eq', value: 'customer' },
        { field: 'message.body', op: 'contains', value: 'REFUND' },
      ],
      actions: [
        { type: 'apply_macro', macroId: macro.json().data.id },
        { type: 'remove_tags', tags: ['new'] },
        { type: 'assign_team', teamId },
      ],
    });
    const { conversation } = await startConversation(t(), h, { customer: { name: 'Rita Refund' }, tags: ['new'], message: { body: 'Hi' } });
    await t().settle();
    expect((await runsOf(t(), h, rule.id)).map((r) => r.outcome)).toEqual(['not_matched']);
    await t().app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversation.id}/messages`,
      headers: h,
      payload: { body: 'I want a refund please', kind: 'incoming' },
    });
    await t().settle();
    expect(await getConversation(h, conversation.id)).toMatchObject({ tags: ['refund'], teamId });
    const msgs = await messagesOf(h, conversation.id);
    expect(msgs.filter((m) => m.authorKind === 'bot').map((m) => m.body)).toEqual(['Refunds take 5 days, Rita.']);
    // The macro's own reply is a message.created by this rule: skipped, not re-run.
    const runs = await runsOf(t(), h, rule.id);
    expect(runs.filter((r) => r.outcome === 'matched')).toHaveLength(1);
    expect(runs.filter((r) => r.reason === 'caused_by_this_rule')).toHaveLength(1);
  });

  it('inactive rules do not run', async () => {
    const acc = await createAccount(t());
    const rule = await createRuleVia(t(), acc.owner.headers, {
      name: 'off',
      active: false,
      trigger: { event: 'message.created' },
      actions: [{ type: 'add_tags', tags: ['x'] }],
    });
    await startConversation(t(), acc.owner.headers);
    await t().settle();
    expect(await runsOf(t(), acc.owner.headers, rule.id)).toEqual([]);
  });
});

describe('dry run', () => {
  it('says which conditions hold and what would run, changing nothing', async () => {
    const acc = await createAccount(t());
    const h = acc.owner.headers;
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const rule = await createRuleVia(t(), h, {
      name: 'billing to pending',
      active: false,
      trigger: { event: 'conversation.tags_changed' },
      match: 'all',
      conditions: [
        { field: 'conversation.tags', op: 'contains', value: 'billing' },
        { field: 'conversation.status', op: 'eq', value: 'open' },
      ],
      actions: [{ type: 'set_status', status: 'pending' }],
    });
    const { conversation } = await startConversation(t(), h, { tags: ['billing'] });
    await t().settle();
    const before = {
      counts: await countsOf(t(), acc.accountId),
      auto: await automationCounts(t(), acc.accountId),
      conv: await getConversation(h, conversation.id),
    };
    const url = `/api/v1/automation/rules/${rule.id}/dry-run`;
    const res = await t().app.inject({ method: 'POST', url, headers: analyst.headers, payload: { conversationId: conversation.id } });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual({
      matched: true,
      conditions: [
        { condition: (rule.conditions as unknown[])[0], matched: true, actual: ['billing'] },
        { condition: (rule.conditions as unknown[])[1], matched: true, actual: 'open' },
      ],
      actions: [{ type: 'set_status', status: 'pending' }],
      note: 'The rule is inactive: it would not run until activated',
    });
    await t().settle();
    expect({
      counts: await countsOf(t(), acc.accountId),
      auto: await automationCounts(t(), acc.accountId),
      conv: await getConversation(h, conversation.id),
    }).toEqual(before);

    const other = await createAccount(t());
    expect(
      (await t().app.inject({ method: 'POST', url, headers: other.owner.headers, payload: { conversationId: conversation.id } }))
        .statusCode,
    ).toBe(404);
    expect((await t().app.inject({ method: 'POST', url, payload: { conversationId: conversation.id } })).statusCode).toBe(401);
    const missing = await t().app.inject({ method: 'POST', url, headers: h, payload: { conversationId: crypto.randomUUID() } });
    expect(missing.statusCode).toBe(404);
    const bad = await t().app.inject({ method: 'POST', url, headers: h, payload: { conversationId: 'x' } });
    expect(bad.statusCode).toBe(422);
  });
});
