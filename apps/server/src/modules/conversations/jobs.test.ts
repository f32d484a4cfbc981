import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { conversations } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import { jobIdFromKey } from '../../platform/jobs';
import { createAccount } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { snoozeWakeJob } from './jobs';
import { eventsOf, startConversation } from './test-support';

const t = useTestApp();

async function snooze(headers: Record<string, string>, id: string, until: string) {
  const res = await t().app.inject({
    method: 'POST',
    url: `/api/v1/conversations/${id}/status`,
    headers,
    payload: { status: 'snoozed', snoozedUntil: until },
  });
  expect(res.statusCode).toBe(200);
}

const conversationOf = async (headers: Record<string, string>, id: string) =>
  (await t().app.inject({ url: `/api/v1/conversations/${id}`, headers })).json().data;

const meta = { id: 'test', retryCount: 0 };

describe('snooze wake-up', () => {
  it('snoozing schedules one wake-up job at snoozedUntil (re-running the listener schedules nothing new)', async () => {
    const acc = await createAccount(t());
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const until = new Date(Date.now() + 3600_000).toISOString();
    await snooze(acc.owner.headers, conversation.id, until);
    await t().settle();
    await t().settle();
    const job = await t().jobs.getJob('conversation-snooze-wake', jobIdFromKey('conversation-snooze-wake', `${conversation.id}:${until}`));
    expect(job).toMatchObject({
      state: 'created',
      data: { accountId: acc.accountId, conversationId: conversation.id, snoozedUntil: until },
    });
    expect(new Date(job!.startAfter).toISOString()).toBe(until);
    expect((await conversationOf(acc.owner.headers, conversation.id)).status).toBe('snoozed');
  });

  it('a due job reopens the conversation it was scheduled for (run through the queue with settle)', async () => {
    const acc = await createAccount(t());
    const { conversation } = await startConversation(t(), acc.owner.headers);
    await snooze(acc.owner.headers, conversation.id, new Date(Date.now() + 3600_000).toISOString());
    await t().settle();
    // Time travel: the snooze ends a second ago, and its job is due.
    const past = new Date(Date.now() - 1000);
    await withSystem(t().database.db, (tx) =>
      tx
        .update(conversations)
        .set({ snoozedUntil: past })
        .where(and(eq(conversations.accountId, acc.accountId), eq(conversations.id, conversation.id))),
    );
    const job = snoozeWakeJob(t());
    await t().jobs.enqueue(job, { accountId: acc.accountId, conversationId: conversation.id, snoozedUntil: past.toISOString() });
    await t().settle();
    expect(await conversationOf(acc.owner.headers, conversation.id)).toMatchObject({ status: 'open', snoozedUntil: null, reopenCount: 0 });
    const woke = (await eventsOf(t(), acc.accountId, conversation.id)).filter((e) => e.type === 'conversation.status_changed');
    expect(woke.at(-1)).toMatchObject({ actorKind: 'system', payload: { from: 'snoozed', to: 'open', reason: 'snooze_expired' } });
    // Running the same job again is a no-op.
    await job.run({ accountId: acc.accountId, conversationId: conversation.id, snoozedUntil: past.toISOString() }, meta);
    expect((await eventsOf(t(), acc.accountId, conversation.id)).filter((e) => e.type === 'conversation.status_changed')).toHaveLength(
      woke.length,
    );
  });

  it('a re-snooze makes the old job a no-op; the new one still wakes it', async () => {
    const acc = await createAccount(t());
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const first = new Date(Date.now() + 3600_000).toISOString();
    const second = new Date(Date.now() + 7200_000).toISOString();
    await snooze(acc.owner.headers, conversation.id, first);
    await snooze(acc.owner.headers, conversation.id, second);
    const job = snoozeWakeJob(t());
    await job.run({ accountId: acc.accountId, conversationId: conversation.id, snoozedUntil: first }, meta);
    expect(await conversationOf(acc.owner.headers, conversation.id)).toMatchObject({ status: 'snoozed', snoozedUntil: second });
    await job.run({ accountId: acc.accountId, conversationId: conversation.id, snoozedUntil: second }, meta);
    expect((await conversationOf(acc.owner.headers, conversation.id)).status).toBe('open');
  });

  it('does nothing to a conversation that was resolved meanwhile', async () => {
    const acc = await createAccount(t());
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const until = new Date(Date.now() + 3600_000).toISOString();
    await snooze(acc.owner.headers, conversation.id, until);
    await t().app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversation.id}/status`,
      headers: acc.owner.headers,
      payload: { status: 'resolved' },
    });
    await snoozeWakeJob(t()).run({ accountId: acc.accountId, conversationId: conversation.id, snoozedUntil: until }, meta);
    expect((await conversationOf(acc.owner.headers, conversation.id)).status).toBe('resolved');
  });
});
