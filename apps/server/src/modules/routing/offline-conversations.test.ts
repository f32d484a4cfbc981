import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createAccount, createTeam, createUser, type TestUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { conversations, routingDecisions } from '../../db/schema';
import { read } from '../../platform/tx';
import { assignConversation, changeConversationStatus } from '../conversations';
import { setTeamRouting } from './commands/set-team-routing';
import { createChannel, goOnline, inbound } from './test-support';

const t = useTestApp();

const setState = (user: TestUser, state: string) =>
  t().app.inject({ method: 'PUT', url: '/api/v1/presence', headers: user.headers, payload: { state } });

/** The return jobs of an account: when each is due, and for which team. */
const returnJobs = async (accountId: string) =>
  (
    await t().database.pool.query<{ team: string; start_after: Date; state: string }>(
      `select data->>'teamId' as team, start_after, state from pgboss.job
        where name = 'routing.return-conversations' and data->>'accountId' = $1 order by start_after`,
      [accountId],
    )
  ).rows;

/** The grace is waited for by making the account's return jobs due now (and, with `again`, the finished ones too). */
async function graceOver(accountId: string, opts: { again?: boolean } = {}) {
  await t().database.pool.query(
    `update pgboss.job set start_after = now(), state = 'created', completed_on = null
      where name = 'routing.return-conversations' and data->>'accountId' = $1 and (state = 'created' or $2)`,
    [accountId, opts.again ?? false],
  );
  await t().settle();
}

const conv = async (user: TestUser, id: string) =>
  (
    await read(user.ctx, (tx) =>
      tx
        .select({ assigneeId: conversations.assigneeId, status: conversations.status })
        .from(conversations)
        .where(and(eq(conversations.accountId, user.accountId), eq(conversations.id, id))),
    )
  )[0]!;

const decisionsOf = async (user: TestUser, id: string) =>
  (await t().app.inject({ url: `/api/v1/conversations/${id}/routing-decisions`, headers: user.headers })).json().data as {
    outcome: string;
    winnerId: string | null;
    explanation: { why: string; cause?: Record<string, unknown> };
  }[];

/** A team with Dana (who holds the conversations) and Eli, both online; conversations routed to Dana. */
async function billingDesk(offline?: { mode: 'keep' | 'requeue'; graceMinutes?: number }) {
  const acc = await createAccount(t());
  const web = await createChannel(t(), acc.accountId, 'web');
  const team = await createTeam(t(), acc.accountId, `Billing ${acc.accountId.slice(-4)}`);
  if (offline) await setTeamRouting(acc.owner.ctx, team, { offlineConversations: offline, policy: 'round_robin', maxLoad: 5 });
  else await setTeamRouting(acc.owner.ctx, team, { policy: 'round_robin', maxLoad: 5 });
  const dana = await createUser(t(), acc.accountId, 'agent', { name: 'Dana', teamIds: [team] });
  const eli = await createUser(t(), acc.accountId, 'agent', { name: 'Eli', teamIds: [team] });
  await goOnline(dana);
  const open = await inbound(acc.owner, web, { teamId: team });
  const pending = await inbound(acc.owner, web, { teamId: team });
  await t().settle();
  await changeConversationStatus(dana.ctx, { conversationId: pending.id, status: 'pending' });
  await goOnline(eli);
  await t().settle();
  return { acc, web, team, dana, eli, open, pending };
}

describe("an unavailable agent's open conversations", () => {
  it("stay assigned by default ('keep'), and so do conversations without a team", async () => {
    const { acc, web, dana, open, pending } = await billingDesk();
    const noTeam = await inbound(acc.owner, web);
    await assignConversation(acc.owner.ctx, { conversationId: noTeam.id, assigneeId: dana.userId });
    await t().settle();
    expect((await conv(dana, open.id)).assigneeId).toBe(dana.userId);

    expect((await setState(dana, 'away')).statusCode).toBe(200);
    expect(await returnJobs(acc.accountId)).toEqual([]); // nothing to schedule for a team that keeps them
    await setState(dana, 'offline');
    await graceOver(acc.accountId);
    for (const c of [open, pending, noTeam]) expect((await conv(dana, c.id)).assigneeId).toBe(dana.userId);
  });

  it("go back to the queue after the team's grace, routed to a colleague with the reason in the decision", async () => {
    const { acc, web, team, dana, eli, open, pending } = await billingDesk({ mode: 'requeue', graceMinutes: 15 });
    // Left alone: a snoozed and a resolved conversation, and one of a team that keeps them.
    const snoozed = await inbound(acc.owner, web, { teamId: team });
    const resolved = await inbound(acc.owner, web, { teamId: team });
    const keeper = await createTeam(t(), acc.accountId);
    const kept = await inbound(acc.owner, web, { teamId: keeper });
    for (const c of [snoozed, resolved, kept]) await assignConversation(acc.owner.ctx, { conversationId: c.id, assigneeId: dana.userId });
    await changeConversationStatus(dana.ctx, {
      conversationId: snoozed.id,
      status: 'snoozed',
      snoozedUntil: new Date(Date.now() + 86_400_000),
    });
    await changeConversationStatus(dana.ctx, { conversationId: resolved.id, status: 'resolved' });
    await t().settle();
    expect((await conv(dana, open.id)).assigneeId).toBe(dana.userId);

    const before = Date.now();
    await setState(dana, 'away');
    const [job, ...more] = await returnJobs(acc.accountId);
    expect(more).toEqual([]); // one job, for the one team that returns conversations
    expect(job!.team).toBe(team);
    expect(job!.start_after.getTime()).toBeGreaterThanOrEqual(before + 15 * 60_000 - 1000);
    expect(job!.start_after.getTime()).toBeLessThanOrEqual(Date.now() + 15 * 60_000 + 1000);
    await t().settle();
    expect((await conv(dana, open.id)).assigneeId).toBe(dana.userId); // not before the grace is over

    await graceOver(acc.accountId);
    expect(await conv(dana, open.id)).toEqual({ assigneeId: eli.userId, status: 'open' });
    expect(await conv(dana, pending.id)).toEqual({ assigneeId: eli.userId, status: 'pending' });
    for (const c of [snoozed, resolved, kept]) expect((await conv(dana, c.id)).assigneeId).toBe(dana.userId);

    const [latest] = await decisionsOf(eli, open.id);
    expect(latest!.outcome).toBe('assigned');
    expect(latest!.winnerId).toBe(eli.userId);
    expect(latest!.explanation.why).toMatch(
      new RegExp(
        `^Returned to the queue: Dana was away for 15 minutes \\(team Billing [0-9a-f]{4} returns conversations after 15 min\\); then `,
      ),
    );
    expect(latest!.explanation.cause).toMatchObject({
      kind: 'agent_unavailable',
      agent: { userId: dana.userId, name: 'Dana', state: 'away', minutes: 15 },
      team: { id: team, graceMinutes: 15 },
    });
  });

  it('are queued with the reason when nobody else can take them, and moved once however often the job runs', async () => {
    const { acc, dana, eli, open } = await billingDesk({ mode: 'requeue', graceMinutes: 5 });
    await setState(eli, 'offline');
    await setState(dana, 'offline');
    await graceOver(acc.accountId);
    expect((await conv(dana, open.id)).assigneeId).toBeNull();
    const queue = (await t().app.inject({ url: '/api/v1/routing/queue', headers: acc.owner.headers })).json().data;
    expect(queue.map((q: { conversationId: string }) => q.conversationId)).toContain(open.id);
    const decisions = await decisionsOf(dana, open.id);
    expect(decisions[0]!.outcome).toBe('queued');
    expect(decisions[0]!.explanation.why).toMatch(
      /^Returned to the queue: Dana was offline for 5 minutes \(team .* after 5 min\); then queued/,
    );

    // Run again (at least once delivery): nothing left to move, no second decision.
    await graceOver(acc.accountId, { again: true });
    const count = async () =>
      (
        await read(dana.ctx, (tx) =>
          tx
            .select({ n: sql<number>`count(*)::int` })
            .from(routingDecisions)
            .where(and(eq(routingDecisions.accountId, acc.accountId), eq(routingDecisions.conversationId, open.id))),
        )
      )[0]!.n;
    expect(await count()).toBe(decisions.length);

    // Eli comes back: the drain offers him the queued conversation (an ordinary decision, no stale reason).
    await setState(eli, 'online');
    await t().settle();
    expect((await conv(dana, open.id)).assigneeId).toBe(eli.userId);
    expect(await count()).toBe(decisions.length + 1);
  });

  it('stay with an agent who is back before the grace is over, even one who leaves again later', async () => {
    const { acc, dana, open, pending } = await billingDesk({ mode: 'requeue', graceMinutes: 15 });
    await setState(dana, 'away');
    await setState(dana, 'online');
    await graceOver(acc.accountId);
    expect((await conv(dana, open.id)).assigneeId).toBe(dana.userId);
    expect((await conv(dana, pending.id)).assigneeId).toBe(dana.userId);

    // Busy counts as working too.
    await setState(dana, 'busy');
    expect(await returnJobs(acc.accountId).then((jobs) => jobs.filter((j) => j.state === 'created'))).toEqual([]);
    // Gone again: a new grace starts, and the first away's job (already run) cannot move anything early.
    await setState(dana, 'away');
    expect((await returnJobs(acc.accountId)).filter((j) => j.state === 'created')).toHaveLength(1);
    await graceOver(acc.accountId);
    expect((await conv(dana, open.id)).assigneeId).not.toBe(dana.userId);
  });
});
