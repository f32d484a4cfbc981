import { describe, expect, it } from 'vitest';
import { createAccount, createTeam, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { changeConversationStatus } from '../conversations';
import { createConversation } from '../conversations';
import { read } from '../../platform/tx';
import { createRoutingRule } from './commands/manage-rules';
import { createSkill, setRoutingProfile } from './commands/manage-skills';
import { setTeamRouting } from './commands/set-team-routing';
import { listPresence, listQueue } from './queries';
import { createChannel, goOnline, inbound } from './test-support';
import { conversations } from '../../db/schema';
import { eq } from 'drizzle-orm';

const t = useTestApp();

async function assigneeOf(ctx: Parameters<typeof read>[0], id: string) {
  const [row] = await read(ctx, (tx) => tx.select({ a: conversations.assigneeId }).from(conversations).where(eq(conversations.id, id)));
  return row!.a;
}
const loadsOf = async (ctx: Parameters<typeof read>[0]) =>
  Object.fromEntries((await read(ctx, (tx) => listPresence(tx, ctx.accountId))).map((p) => [p.userId, p.load]));

describe('routing engine', () => {
  it('assigns a new inbound chat to the best online agent and stores the decision with its shortlist', async () => {
    const acc = await createAccount(t());
    const web = await createChannel(t(), acc.accountId, 'web');
    const agent = await createUser(t(), acc.accountId, 'agent');
    const second = await createUser(t(), acc.accountId, 'agent');
    await createUser(t(), acc.accountId, 'agent'); // offline: never a candidate
    await goOnline(agent);
    await goOnline(second);
    const conv = await inbound(acc.owner, web);
    await t().settle();
    const winner = await assigneeOf(acc.owner.ctx, conv.id);
    expect((await loadsOf(acc.owner.ctx))[winner!]).toBeCloseTo(1 / 3, 3);

    const res = await t().app.inject({ method: 'GET', url: `/api/v1/conversations/${conv.id}/routing-decisions`, headers: agent.headers });
    expect(res.statusCode).toBe(200);
    const [decision] = res.json().data;
    expect(decision).toMatchObject({
      outcome: 'assigned',
      winnerId: expect.any(String),
      explanation: { policy: 'skills', rule: null, scope: 'shortlist' },
    });
    // Both online agents are eligible and equally loaded and idle: the lower id wins, the other is the runner-up.
    const [first, runnerUp] = [agent.userId, second.userId].sort();
    expect(decision.winnerId).toBe(first);
    expect(decision.explanation.candidates).toEqual([
      expect.objectContaining({ userId: first, eligible: true, score: 2, reasons: ['skill match 0', 'load 0/1', 'never assigned'] }),
      expect.objectContaining({ userId: runnerUp, eligible: true, score: 1 }),
    ]);
    expect(decision.explanation.why).toContain(`ahead of ${runnerUp}`);
  });

  it('does not route conversations an agent started (outgoing first message)', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    await goOnline(agent);
    const r = await createConversation(agent.ctx, { customer: { name: 'C' }, message: { body: 'Hi from us', kind: 'outgoing' } });
    await t().settle();
    expect(await assigneeOf(agent.ctx, r.conversation.id)).toBeNull();
    expect(await read(agent.ctx, (tx) => listQueue(tx, acc.accountId))).toEqual([]);
  });

  it('fills an agent with three chats, queues the fourth, and offers it when a chat is resolved', async () => {
    const acc = await createAccount(t());
    const web = await createChannel(t(), acc.accountId, 'web');
    const agent = await createUser(t(), acc.accountId, 'agent');
    await goOnline(agent);
    const convs = [];
    for (let i = 0; i < 4; i++) convs.push(await inbound(acc.owner, web));
    await t().settle();
    const assignees = await Promise.all(convs.map((c) => assigneeOf(acc.owner.ctx, c.id)));
    expect(assignees.filter((a) => a === agent.userId)).toHaveLength(3);
    const waiting = convs[assignees.indexOf(null)]!;
    const served = convs[assignees.indexOf(agent.userId)]!;
    expect((await read(acc.owner.ctx, (tx) => listQueue(tx, acc.accountId))).map((q) => q.conversationId)).toEqual([waiting.id]);
    // A queued decision lists every candidate with why it could not take the conversation.
    const res = await t().app.inject({
      method: 'GET',
      url: `/api/v1/conversations/${waiting.id}/routing-decisions`,
      headers: agent.headers,
    });
    const queued = res.json().data[0];
    expect(queued).toMatchObject({ outcome: 'queued', winnerId: null, explanation: { scope: 'all' } });
    const reasons = Object.fromEntries(
      queued.explanation.candidates.map((c: { userId: string; reasons: string[] }) => [c.userId, c.reasons]),
    );
    expect(reasons).toEqual({
      [agent.userId]: ['capacity: load 1 + weight 0.333 > max 1'],
      [acc.owner.userId]: ['state is offline'],
    });

    await changeConversationStatus(agent.ctx, { conversationId: served.id, status: 'resolved' });
    await t().settle();
    expect(await assigneeOf(acc.owner.ctx, waiting.id)).toBe(agent.userId);
    expect(await read(acc.owner.ctx, (tx) => listQueue(tx, acc.accountId))).toEqual([]);
    expect((await loadsOf(acc.owner.ctx))[agent.userId]).toBeCloseTo(1, 3);
  });

  it('serves the queue by priority then waiting time when an agent comes online', async () => {
    const acc = await createAccount(t());
    const web = await createChannel(t(), acc.accountId, 'web');
    const agent = await createUser(t(), acc.accountId, 'agent');
    await setTeamRouting(acc.owner.ctx, await createTeam(t(), acc.accountId), { maxLoad: 1 }); // unrelated team: defaults stay
    const first = await inbound(acc.owner, web);
    const second = await inbound(acc.owner, web);
    const urgent = await inbound(acc.owner, web, { priority: 'urgent' });
    const fourth = await inbound(acc.owner, web);
    await t().settle();
    const queue = await read(acc.owner.ctx, (tx) => listQueue(tx, acc.accountId));
    expect(queue.map((q) => q.conversationId)).toEqual([urgent.id, first.id, second.id, fourth.id]);
    await goOnline(agent);
    await t().settle();
    expect(await assigneeOf(acc.owner.ctx, urgent.id)).toBe(agent.userId);
    expect(await assigneeOf(acc.owner.ctx, first.id)).toBe(agent.userId);
    expect(await assigneeOf(acc.owner.ctx, second.id)).toBe(agent.userId);
    expect(await assigneeOf(acc.owner.ctx, fourth.id)).toBeNull();
  });

  it('routes by rule: skills and proficiency beat load; waits relax the skills', async () => {
    const acc = await createAccount(t());
    const email = await createChannel(t(), acc.accountId, 'email');
    const expert = await createUser(t(), acc.accountId, 'agent', { name: 'Expert' });
    const novice = await createUser(t(), acc.accountId, 'agent', { name: 'Novice' });
    const billing = await createSkill(acc.owner.ctx, 'Billing');
    await setRoutingProfile(acc.owner.ctx, expert.userId, { skills: [{ skillId: billing.id, proficiency: 5 }], languages: ['en'] });
    await setRoutingProfile(acc.owner.ctx, novice.userId, { skills: [{ skillId: billing.id, proficiency: 2 }], languages: ['en'] });
    const rule = await createRoutingRule(acc.owner.ctx, {
      name: 'Billing questions',
      active: true,
      conditions: { tags: ['billing'] },
      actions: { requiredSkills: [{ skillId: billing.id, minProficiency: 3 }], priorityBoost: 5 },
      relaxation: [{ afterSeconds: 120, drop: 'proficiency' }],
    });
    await goOnline(expert);
    await goOnline(novice);
    const a = await inbound(acc.owner, email, { tags: ['billing'] });
    const b = await inbound(acc.owner, email, { tags: ['billing'] });
    await t().settle();
    // The expert takes both (0.1 each) although the novice is less loaded: proficiency 3+ is required.
    expect(await assigneeOf(acc.owner.ctx, a.id)).toBe(expert.userId);
    expect(await assigneeOf(acc.owner.ctx, b.id)).toBe(expert.userId);

    await goOnline(expert, 'away');
    const c = await inbound(acc.owner, email, { tags: ['billing'] });
    await t().settle();
    expect(await assigneeOf(acc.owner.ctx, c.id)).toBeNull();
    const [queued] = await read(acc.owner.ctx, (tx) => listQueue(tx, acc.accountId));
    expect(queued).toMatchObject({ conversationId: c.id, priority: 15, relaxationLevel: 0, ruleId: rule.id });

    // 120 s later (made due instead of waited for) the relaxation job drops the proficiency minimum.
    await t().database.pool.query(`update pgboss.job set start_after = now() where name = 'routing.relax' and state = 'created'`);
    await t().settle();
    expect(await assigneeOf(acc.owner.ctx, c.id)).toBe(novice.userId);
    const res = await t().app.inject({ method: 'GET', url: `/api/v1/conversations/${c.id}/routing-decisions`, headers: novice.headers });
    const decisions = res.json().data;
    expect(decisions.map((d: { outcome: string }) => d.outcome)).toEqual(['assigned', 'queued']);
    expect(decisions[0].explanation).toMatchObject({ relaxationLevel: 1, rule: { id: rule.id, name: 'Billing questions' } });
    const why = Object.fromEntries(
      decisions[1].explanation.candidates.map((x: { userId: string; reasons: string[] }) => [x.userId, x.reasons]),
    );
    expect(why[expert.userId]).toEqual(['state is away']);
    expect(why[novice.userId]).toEqual([`skill ${billing.id} proficiency 2 < 3`]);
  });

  it("applies the team's policy and capacity: round robin over the team's members only", async () => {
    const acc = await createAccount(t());
    const voice = await createChannel(t(), acc.accountId, 'voice');
    const teamId = await createTeam(t(), acc.accountId);
    const a1 = await createUser(t(), acc.accountId, 'agent', { teamIds: [teamId] });
    const a2 = await createUser(t(), acc.accountId, 'agent', { teamIds: [teamId] });
    const outsider = await createUser(t(), acc.accountId, 'agent');
    await setTeamRouting(acc.owner.ctx, teamId, { policy: 'round_robin', maxLoad: 2, weights: { voice: 1 } });
    for (const u of [a1, a2, outsider]) await goOnline(u);
    const calls = [];
    for (let i = 0; i < 5; i++) {
      calls.push(await inbound(acc.owner, voice, { teamId }));
      await t().settle();
    }
    const assignees = await Promise.all(calls.map((c) => assigneeOf(acc.owner.ctx, c.id)));
    const [x, y] = [a1.userId, a2.userId].sort();
    expect(assignees).toEqual([x, y, x, y, null]); // two calls each fill maxLoad 2; the outsider is never offered
  });

  it('routes again when a conversation is reopened or handed to a team unassigned', async () => {
    const acc = await createAccount(t());
    const web = await createChannel(t(), acc.accountId, 'web');
    const agent = await createUser(t(), acc.accountId, 'agent');
    const conv = await inbound(acc.owner, web);
    await t().settle();
    await goOnline(agent);
    await t().settle();
    expect(await assigneeOf(acc.owner.ctx, conv.id)).toBe(agent.userId);
    const teamId = await createTeam(t(), acc.accountId);
    const teamAgent = await createUser(t(), acc.accountId, 'agent', { teamIds: [teamId] });
    await goOnline(teamAgent);
    await goOnline(agent, 'busy');
    const res = await t().app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conv.id}/assignment`,
      headers: agent.headers,
      payload: { assigneeId: null, teamId },
    });
    expect(res.statusCode).toBe(200);
    await t().settle();
    expect(await assigneeOf(acc.owner.ctx, conv.id)).toBe(teamAgent.userId);
    const loads = await loadsOf(acc.owner.ctx);
    expect(loads[agent.userId]).toBe(0);
    expect(loads[teamAgent.userId]).toBeCloseTo(1 / 3, 3);
  });
});
