import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createAccount, createTeam, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { conversations } from '../../db/schema';
import { read } from '../../platform/tx';
import { assignConversation } from '../conversations';
import { createChannel, goOnline, inbound } from './test-support';

const t = useTestApp();

const assigneeOf = async (ctx: Parameters<typeof read>[0], id: string) =>
  (
    await read(ctx, (tx) =>
      tx.select({ a: conversations.assigneeId, team: conversations.teamId }).from(conversations).where(eq(conversations.id, id)),
    )
  )[0]!;

const reroute = (id: string, headers: Record<string, string>, payload: Record<string, unknown> = {}) =>
  t().app.inject({ method: 'POST', url: `/api/v1/conversations/${id}/routing`, headers, payload });

describe('POST /conversations/:id/routing (transfer to the engine)', () => {
  it('unassigns, moves to the team and lets the engine pick an online team member, with the decision recorded', async () => {
    const acc = await createAccount(t());
    const web = await createChannel(t(), acc.accountId, 'web');
    const billing = await createTeam(t(), acc.accountId, 'Billing');
    const first = await createUser(t(), acc.accountId, 'agent');
    const billingAgent = await createUser(t(), acc.accountId, 'agent', { teamIds: [billing] });
    await goOnline(billingAgent);
    const conv = await inbound(acc.owner, web);
    await t().settle();
    await assignConversation(acc.owner.ctx, { conversationId: conv.id, assigneeId: first.userId });
    await t().settle();

    const res = await reroute(conv.id, first.headers, { teamId: billing });
    expect(res.statusCode).toBe(202);
    await t().settle();
    expect(await assigneeOf(acc.owner.ctx, conv.id)).toEqual({ a: billingAgent.userId, team: billing });
    const decisions = (await t().app.inject({ url: `/api/v1/conversations/${conv.id}/routing-decisions`, headers: first.headers })).json()
      .data;
    expect(decisions[0]).toMatchObject({ outcome: 'assigned', winnerId: billingAgent.userId });
  });

  it('401 without credentials, 403 for analysts, 404 for another tenant, 422 for an unknown team, changing nothing', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const web = await createChannel(t(), acc.accountId, 'web');
    const agent = await createUser(t(), acc.accountId, 'agent');
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const conv = await inbound(acc.owner, web);
    await assignConversation(acc.owner.ctx, { conversationId: conv.id, assigneeId: agent.userId });
    await t().settle();
    expect((await reroute(conv.id, {})).statusCode).toBe(401);
    expect((await reroute(conv.id, analyst.headers)).statusCode).toBe(403);
    expect((await reroute(conv.id, other.owner.headers)).statusCode).toBe(404);
    const bad = await reroute(conv.id, agent.headers, { teamId: '00000000-0000-4000-8000-000000000000' });
    expect(bad.statusCode).toBe(422);
    expect((await reroute(conv.id, agent.headers, { teamId: 'x' })).statusCode).toBe(422);
    await t().settle();
    expect((await assigneeOf(acc.owner.ctx, conv.id)).a).toBe(agent.userId);
  });
});
