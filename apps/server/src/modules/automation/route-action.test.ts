import { describe, expect, it } from 'vitest';
import { createAccount, createTeam, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { assignConversation, updateConversation } from '../conversations';
import { createRuleVia, startConversation } from './test-support';

const t = useTestApp();

describe('automation action: route', () => {
  it('escalates an urgent conversation to an online member of the escalation team through the routing engine', async () => {
    const acc = await createAccount(t());
    const h = acc.owner.headers;
    const escalations = await createTeam(t(), acc.accountId, 'Escalations');
    const agent = await createUser(t(), acc.accountId, 'agent');
    const senior = await createUser(t(), acc.accountId, 'supervisor', { teamIds: [escalations] });
    const presence = await t().app.inject({
      method: 'PUT',
      url: '/api/v1/presence',
      headers: senior.headers,
      payload: { state: 'online' },
    });
    expect(presence.statusCode).toBe(200);
    await createRuleVia(t(), h, {
      name: 'Urgent goes to escalations',
      trigger: { event: 'conversation.priority_changed' },
      conditions: [{ field: 'conversation.priority', op: 'eq', value: 'urgent' }],
      actions: [{ type: 'route', teamId: escalations }],
    });
    const { conversation } = await startConversation(t(), h);
    await assignConversation(acc.owner.ctx, { conversationId: conversation.id, assigneeId: agent.userId });
    await updateConversation(agent.ctx, { conversationId: conversation.id, priority: 'urgent' });
    await t().settle();
    const res = await t().app.inject({ url: `/api/v1/conversations/${conversation.id}`, headers: h });
    expect(res.json().data).toMatchObject({ assigneeId: senior.userId, teamId: escalations, priority: 'urgent' });
  });

  it('rejects a route action naming a team that does not exist, storing nothing', async () => {
    const acc = await createAccount(t());
    const res = await t().app.inject({
      method: 'POST',
      url: '/api/v1/automation/rules',
      headers: acc.owner.headers,
      payload: {
        name: 'x',
        trigger: { event: 'conversation.created' },
        conditions: [],
        actions: [{ type: 'route', teamId: '00000000-0000-4000-8000-000000000000' }],
      },
    });
    expect(res.statusCode).toBe(422);
    expect((await t().app.inject({ url: '/api/v1/automation/rules', headers: acc.owner.headers })).json().data).toHaveLength(0);
  });
});
