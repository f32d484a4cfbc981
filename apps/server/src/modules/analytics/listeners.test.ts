import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { events, kpiFacts } from '../../db/schema';
import { withTenant } from '../../db/tenant';
import { systemCtx } from '../../platform/context';
import type { StoredEvent } from '../../platform/events';
import { createAccount, createTeam, createUser, type TestAccount } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { changeConversationStatus, createConversation, createMessage } from '../conversations';
import { firstResponseFact, recordFact, registerKpiFactListeners, statusFact } from './listeners';

const t = useTestApp();

beforeAll(() => {
  // A no-op once app.ts registers the analytics module; until then the test wires the listener itself.
  registerKpiFactListeners(t());
});

const factsOf = (accountId: string) =>
  withTenant(t().database.db, accountId, (tx) =>
    tx.select().from(kpiFacts).where(eq(kpiFacts.accountId, accountId)).orderBy(kpiFacts.occurredAt, kpiFacts.kind),
  );

async function conversationWithTeam(acc: TestAccount) {
  const teamId = await createTeam(t(), acc.accountId);
  const { conversation } = await createConversation(acc.owner.ctx, {
    customer: { name: 'Kim' },
    teamId,
    message: { body: 'Help please', kind: 'incoming' },
  });
  return { teamId, conversation };
}

describe('KPI facts', () => {
  it('first_response: the first human reply, with the replying agent, team and channel', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const { teamId, conversation } = await conversationWithTeam(acc);
    const bot = {
      ...acc.owner.ctx,
      actor: { kind: 'automation' as const, accountId: acc.accountId, ruleId: '00000000-0000-7000-8000-000000000002' },
    };
    await createMessage(bot, { conversationId: conversation.id, body: 'A bot answers first', kind: 'outgoing' });
    await createMessage(agent.ctx, { conversationId: conversation.id, body: 'internal', kind: 'note' });
    const reply = await createMessage(agent.ctx, { conversationId: conversation.id, body: 'Hi Kim', kind: 'outgoing' });
    await createMessage(agent.ctx, { conversationId: conversation.id, body: 'Second reply', kind: 'outgoing' });
    await t().settle();
    const facts = await factsOf(acc.accountId);
    expect(facts).toHaveLength(1);
    expect(facts[0]).toMatchObject({
      kind: 'first_response',
      conversationId: conversation.id,
      customerId: conversation.customerId,
      userId: agent.userId,
      teamId,
      channelId: acc.apiChannelId,
      valueSeconds: (reply.message.createdAt.getTime() - conversation.createdAt.getTime()) / 1000,
      startedAt: conversation.createdAt,
      endedAt: reply.message.createdAt,
    });
  });

  it('resolution and reopen facts from status changes, including a reopen by a customer message', async () => {
    const acc = await createAccount(t());
    const { conversation } = await conversationWithTeam(acc);
    const resolved = await changeConversationStatus(acc.owner.ctx, { conversationId: conversation.id, status: 'resolved' });
    const reopened = await createMessage(acc.owner.ctx, { conversationId: conversation.id, body: 'Still broken', kind: 'incoming' });
    const resolvedAgain = await changeConversationStatus(acc.owner.ctx, { conversationId: conversation.id, status: 'resolved' });
    await changeConversationStatus(acc.owner.ctx, { conversationId: conversation.id, status: 'open' });
    await t().settle();
    const facts = await factsOf(acc.accountId);
    expect(facts.map((f) => f.kind)).toEqual(['resolution', 'reopen', 'resolution', 'reopen']);
    expect(facts[0]).toMatchObject({
      valueSeconds: (resolved.resolvedAt!.getTime() - conversation.createdAt.getTime()) / 1000,
      attributes: { actor: { kind: 'user', id: acc.owner.userId } },
    });
    expect(facts[1]).toMatchObject({
      occurredAt: reopened.conversation.reopenedAt,
      valueSeconds: (reopened.conversation.reopenedAt!.getTime() - resolved.resolvedAt!.getTime()) / 1000,
      attributes: { reason: 'customer_message' },
    });
    expect(facts[2]!.endedAt).toEqual(resolvedAgain.resolvedAt);
    expect(facts[3]!.attributes).toMatchObject({ reason: 'manual', reopenCount: 2 });
  });

  it('is idempotent: settling again or re-running the listener on the same event writes nothing new', async () => {
    const acc = await createAccount(t());
    const { conversation } = await conversationWithTeam(acc);
    await createMessage(acc.owner.ctx, { conversationId: conversation.id, body: 'Reply', kind: 'outgoing' });
    await changeConversationStatus(acc.owner.ctx, { conversationId: conversation.id, status: 'resolved' });
    await t().settle();
    await t().settle();
    const stored = await withTenant(t().database.db, acc.accountId, (tx) =>
      tx
        .select()
        .from(events)
        .where(and(eq(events.accountId, acc.accountId), eq(events.conversationId, conversation.id))),
    );
    const ctx = systemCtx({ db: t().database.db, events: t().events }, acc.accountId, 'test-rerun');
    for (const e of stored as unknown as StoredEvent[]) {
      await recordFact(ctx, e.type === 'message.created' ? firstResponseFact(e) : statusFact(e));
      await recordFact(ctx, e.type === 'message.created' ? firstResponseFact(e) : statusFact(e));
    }
    expect((await factsOf(acc.accountId)).map((f) => f.kind)).toEqual(['first_response', 'resolution']);
  });
});
