import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createAccount, createTeam, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { conversations, routingOffers } from '../../db/schema';
import { read } from '../../platform/tx';
import { setTeamRouting } from './commands/set-team-routing';
import { listPresence, listQueue } from './queries';
import { createChannel, goOnline, inbound } from './test-support';

const t = useTestApp();

describe('offers for chat and voice', () => {
  it('declined goes to the next agent, unanswered expires, then it waits in the queue', async () => {
    const acc = await createAccount(t());
    const web = await createChannel(t(), acc.accountId, 'web');
    const teamId = await createTeam(t(), acc.accountId);
    const [a, b] = await Promise.all([0, 1].map(() => createUser(t(), acc.accountId, 'agent', { teamIds: [teamId] })));
    await setTeamRouting(acc.owner.ctx, teamId, { offerTimeoutSeconds: 30, policy: 'round_robin' });
    await goOnline(a!);
    await goOnline(b!);
    const conv = await inbound(acc.owner, web, { teamId });
    await t().settle();
    const assignee = async () =>
      (await read(acc.owner.ctx, (tx) => tx.select().from(conversations).where(eq(conversations.id, conv.id))))[0]!.assigneeId;
    const offers = () =>
      read(acc.owner.ctx, (tx) =>
        tx
          .select()
          .from(routingOffers)
          .where(and(eq(routingOffers.accountId, acc.accountId), eq(routingOffers.conversationId, conv.id)))
          .orderBy(routingOffers.offeredAt),
      );
    const first = (await assignee())!;
    const [firstAgent, secondAgent] = first === a!.userId ? [a!, b!] : [b!, a!];
    expect((await offers()).map((o) => [o.userId, o.status])).toEqual([[first, 'pending']]);

    const url = `/api/v1/conversations/${conv.id}/routing-offer`;
    expect((await t().app.inject({ method: 'POST', url, payload: { response: 'accept' } })).statusCode).toBe(401);
    const notMine = await t().app.inject({ method: 'POST', url, headers: secondAgent.headers, payload: { response: 'accept' } });
    expect(notMine.statusCode).toBe(404);
    const bad = await t().app.inject({ method: 'POST', url, headers: firstAgent.headers, payload: { response: 'maybe' } });
    expect(bad.statusCode).toBe(422);
    expect((await offers())[0]!.status).toBe('pending');

    const declined = await t().app.inject({ method: 'POST', url, headers: firstAgent.headers, payload: { response: 'decline' } });
    expect(declined.statusCode).toBe(200);
    expect(declined.json().data).toMatchObject({ status: 'declined', userId: firstAgent.userId });
    await t().settle();
    expect(await assignee()).toBe(secondAgent.userId);
    const loads = Object.fromEntries((await read(acc.owner.ctx, (tx) => listPresence(tx, acc.accountId))).map((p) => [p.userId, p.load]));
    expect(loads[firstAgent.userId]).toBe(0);

    // 30 s pass without an answer (the timeout job is made due instead of waited for).
    await t().database.pool.query(`update pgboss.job set start_after = now() where name = 'routing.offer_timeout' and state = 'created'`);
    await t().settle();
    expect((await offers()).map((o) => o.status)).toEqual(['declined', 'expired']);
    expect(await assignee()).toBeNull();
    expect((await read(acc.owner.ctx, (tx) => listQueue(tx, acc.accountId))).map((q) => q.conversationId)).toEqual([conv.id]);
    const again = await t().app.inject({ method: 'POST', url, headers: secondAgent.headers, payload: { response: 'accept' } });
    expect(again.statusCode).toBe(409);
  });

  it('an accepted offer stays assigned when its timeout comes', async () => {
    const acc = await createAccount(t());
    const voice = await createChannel(t(), acc.accountId, 'voice');
    const teamId = await createTeam(t(), acc.accountId);
    const agent = await createUser(t(), acc.accountId, 'agent', { teamIds: [teamId] });
    await setTeamRouting(acc.owner.ctx, teamId, { offerTimeoutSeconds: 20 });
    await goOnline(agent);
    const conv = await inbound(acc.owner, voice, { teamId });
    await t().settle();
    const res = await t().app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conv.id}/routing-offer`,
      headers: agent.headers,
      payload: { response: 'accept' },
    });
    expect(res.json().data.status).toBe('accepted');
    await t().database.pool.query(`update pgboss.job set start_after = now() where name = 'routing.offer_timeout' and state = 'created'`);
    await t().settle();
    const [row] = await read(acc.owner.ctx, (tx) => tx.select().from(conversations).where(eq(conversations.id, conv.id)));
    expect(row!.assigneeId).toBe(agent.userId);
  });
});
