import { and, count, eq } from 'drizzle-orm';
import { conversations, events, messages } from '../src/db/schema';
import { withTenant } from '../src/db/tenant';
import type { TestApp } from './harness';

type Headers = Record<string, string>;

/** Starts a conversation over HTTP (a customer and a first incoming message by default). */
export async function startConversation(t: TestApp, headers: Headers, body: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/conversations',
    headers,
    payload: {
      ...(body.customerId
        ? {}
        : { customer: { name: 'Dana Customer', email: `dana-${Math.random().toString(36).slice(2)}@example.test` } }),
      message: { body: 'Hello, my order is late' },
      ...body,
    },
  });
  if (res.statusCode !== 201) throw new Error(`create failed ${res.statusCode}: ${res.body}`);
  return res.json().data as {
    conversation: { id: string; number: number; customerId: string; [k: string]: unknown };
    message: { id: string; [k: string]: unknown };
  };
}

/** Row counts of one account, to assert that a rejected request changed nothing. */
export async function countsOf(t: TestApp, accountId: string) {
  return withTenant(t.database.db, accountId, async (tx) => {
    const [c] = await tx.select({ n: count() }).from(conversations).where(eq(conversations.accountId, accountId));
    const [m] = await tx.select({ n: count() }).from(messages).where(eq(messages.accountId, accountId));
    const [e] = await tx.select({ n: count() }).from(events).where(eq(events.accountId, accountId));
    return { conversations: c!.n, messages: m!.n, events: e!.n };
  });
}

export async function eventsOf(t: TestApp, accountId: string, conversationId: string) {
  return withTenant(t.database.db, accountId, (tx) =>
    tx
      .select()
      .from(events)
      .where(and(eq(events.accountId, accountId), eq(events.conversationId, conversationId)))
      .orderBy(events.createdAt, events.id),
  );
}
