import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createAccount, createUser } from '../../../../test/factories';
import { useTestApp } from '../../../../test/harness';
import { conversations } from '../../../db/schema';
import { withTenant } from '../../../db/tenant';
import { eventsOf, startConversation } from '../test-support';

const t = useTestApp();

async function setup() {
  const acc = await createAccount(t());
  const agent = await createUser(t(), acc.accountId, 'agent');
  const related = (id: string, headers: Record<string, string> = agent.headers) =>
    t().app.inject({ url: `/api/v1/conversations/${id}/related`, headers });
  const ids = async (id: string) => ((await related(id)).json().data as { id: string }[]).map((r) => r.id);
  /** Moves a conversation's last activity back in time, as if nothing had happened on it since. */
  const age = (id: string, days: number) =>
    withTenant(t().database.db, acc.accountId, (tx) =>
      tx
        .update(conversations)
        .set({ lastActivityAt: new Date(Date.now() - days * 86_400_000) })
        .where(and(eq(conversations.accountId, acc.accountId), eq(conversations.id, id))),
    );
  return { acc, agent, related, ids, age };
}

describe('GET /conversations/:id/related', () => {
  it("lists the customer's other recent conversations, most recent first, with channel and preview", async () => {
    const { agent, related, ids, age } = await setup();
    const first = await startConversation(t(), agent.headers, { subject: 'Order', message: { body: 'Where is my <b>order</b>?' } });
    const customerId = first.conversation.customerId;
    const second = await startConversation(t(), agent.headers, { customerId, message: { body: 'Second' } });
    const old = await startConversation(t(), agent.headers, { customerId, message: { body: 'Long ago' } });
    await age(old.conversation.id, 31);
    const stranger = await startConversation(t(), agent.headers);

    const res = await related(second.conversation.id);
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual([
      expect.objectContaining({
        id: first.conversation.id,
        number: first.conversation.number,
        status: 'open',
        subject: 'Order',
        channel: expect.objectContaining({ kind: 'api', name: 'API' }),
        lastMessagePreview: 'Where is my <b>order</b>?',
        lastMessageAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      }),
    ]);
    expect(await ids(first.conversation.id)).toEqual([second.conversation.id]);
    expect((await ids(old.conversation.id)).sort()).toEqual([first.conversation.id, second.conversation.id].sort());
    expect(await ids(stranger.conversation.id)).toEqual([]);
  });

  it('stops at 10 and links the new conversation to the recent ones in conversation.created', async () => {
    const { acc, agent, ids } = await setup();
    const first = await startConversation(t(), agent.headers);
    const customerId = first.conversation.customerId;
    const made = [first.conversation.id];
    for (let i = 0; i < 11; i++) made.push((await startConversation(t(), agent.headers, { customerId })).conversation.id);
    const latest = made.at(-1)!;
    expect(await ids(latest)).toEqual(made.slice(1, -1).reverse());
    const [created] = (await eventsOf(t(), acc.accountId, latest)).filter((e) => e.type === 'conversation.created');
    expect((created!.payload as { recentConversationIds: string[] }).recentConversationIds).toEqual(made.slice(1, -1).reverse());
  });

  it("includes a merged-away profile's conversations", async () => {
    const { acc, agent, ids } = await setup();
    const a = await startConversation(t(), agent.headers);
    const b = await startConversation(t(), agent.headers);
    expect(await ids(a.conversation.id)).toEqual([]);
    const supervisor = await createUser(t(), acc.accountId, 'supervisor');
    const merged = await t().app.inject({
      method: 'POST',
      url: `/api/v1/customers/${a.conversation.customerId}/merge`,
      headers: supervisor.headers,
      payload: { sourceId: b.conversation.customerId },
    });
    expect(merged.statusCode).toBe(200);
    expect(await ids(a.conversation.id)).toEqual([b.conversation.id]);
    expect(await ids(b.conversation.id)).toEqual([a.conversation.id]);
  });

  it('needs credentials and hides other tenants', async () => {
    const { agent, related } = await setup();
    const other = await setup();
    const c = await startConversation(t(), agent.headers);
    expect((await t().app.inject({ url: `/api/v1/conversations/${c.conversation.id}/related` })).statusCode).toBe(401);
    expect((await related(c.conversation.id, other.agent.headers)).statusCode).toBe(404);
    expect((await related('not-a-uuid')).statusCode).toBe(422);
  });
});
