import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createAccount, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { conversations, events, routingDecisions } from '../../db/schema';
import { systemCtx } from '../../platform/context';
import { read } from '../../platform/tx';
import { createConversation } from '../conversations';
import { routeConversation } from './engine/route-conversation';
import { listPresence, listQueue } from './queries';
import { createChannel, goOnline } from './test-support';

const t = useTestApp();

describe('routing under concurrency', () => {
  it('40 chats routed in parallel (each twice) to 10 agents of 3 chats: no capacity exceeded, none assigned twice', async () => {
    const acc = await createAccount(t());
    const web = await createChannel(t(), acc.accountId, 'web');
    const agents = await Promise.all(Array.from({ length: 10 }, () => createUser(t(), acc.accountId, 'agent')));
    for (const a of agents) await goOnline(a);
    const created = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        createConversation(acc.owner.ctx, {
          channelId: web,
          customer: { name: `C${i}` },
          message: { body: `help ${i}`, kind: 'incoming' },
        }),
      ),
    );
    const ids = created.map((c) => c.conversation.id);
    // Several "nodes" route every conversation at once (on PostgreSQL these run on up to 10 connections in parallel).
    const ctx = () => systemCtx({ db: t().database.db, events: t().events }, acc.accountId, 'test:parallel-router');
    const results = await Promise.all([...ids, ...ids].map((id) => routeConversation(ctx(), id)));
    await t().settle(); // the durable listeners route them once more: still no change

    expect(results.filter((r) => r.outcome === 'assigned')).toHaveLength(30);
    const rows = await read(acc.owner.ctx, (tx) =>
      tx
        .select({ id: conversations.id, assigneeId: conversations.assigneeId })
        .from(conversations)
        .where(eq(conversations.accountId, acc.accountId)),
    );
    const perAgent = new Map<string, number>();
    for (const r of rows) if (r.assigneeId) perAgent.set(r.assigneeId, (perAgent.get(r.assigneeId) ?? 0) + 1);
    expect([...perAgent.values()].reduce((a, b) => a + b, 0)).toBe(30);
    expect(Math.max(...perAgent.values())).toBeLessThanOrEqual(3);
    for (const p of await read(acc.owner.ctx, (tx) => listPresence(tx, acc.accountId))) expect(p.load).toBeLessThanOrEqual(1 + 1e-9);

    const assignedTwice = await read(acc.owner.ctx, async (tx) => {
      const decisions = await tx
        .select({ id: routingDecisions.conversationId, n: sql<number>`count(*)::int` })
        .from(routingDecisions)
        .where(and(eq(routingDecisions.accountId, acc.accountId), eq(routingDecisions.outcome, 'assigned')))
        .groupBy(routingDecisions.conversationId)
        .having(sql`count(*) > 1`);
      const assignEvents = await tx
        .select({ id: events.conversationId, n: sql<number>`count(*)::int` })
        .from(events)
        .where(and(eq(events.accountId, acc.accountId), eq(events.type, 'conversation.assigned')))
        .groupBy(events.conversationId)
        .having(sql`count(*) > 1`);
      return [...decisions, ...assignEvents];
    });
    expect(assignedTwice).toEqual([]);
    expect(await read(acc.owner.ctx, (tx) => listQueue(tx, acc.accountId))).toHaveLength(10);
  });
});
