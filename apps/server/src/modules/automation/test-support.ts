import { and, count, eq } from 'drizzle-orm';
import { automationRules, automationRuns, conversations, events, messages } from '../../db/schema';
import { withTenant } from '../../db/tenant';
import type { TestApp } from '../../../test/harness';

/** Test helpers for the automation module (not a test file itself). */

export type Headers = Record<string, string>;

export async function createRuleVia(t: TestApp, headers: Headers, body: Record<string, unknown>) {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/automation/rules', headers, payload: body });
  if (res.statusCode !== 201) throw new Error(`rule create failed ${res.statusCode}: ${res.body}`);
  return res.json().data as { id: string; webhookSecret: string; [k: string]: unknown };
}

export async function runsOf(t: TestApp, headers: Headers, ruleId: string) {
  const res = await t.app.inject({ url: `/api/v1/automation/rules/${ruleId}/runs?limit=100`, headers });
  if (res.statusCode !== 200) throw new Error(`runs failed ${res.statusCode}: ${res.body}`);
  return res.json().data as {
    outcome: string;
    reason: string | null;
    eventId: string;
    actions: unknown[];
    deliveries: unknown[];
    error: string | null;
  }[];
}

export async function automationCounts(t: TestApp, accountId: string) {
  return withTenant(t.database.db, accountId, async (tx) => {
    const [r] = await tx.select({ n: count() }).from(automationRules).where(eq(automationRules.accountId, accountId));
    const [u] = await tx.select({ n: count() }).from(automationRuns).where(eq(automationRuns.accountId, accountId));
    return { rules: r!.n, runs: u!.n };
  });
}

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
  return res.json().data as { conversation: { id: string; number: number; customerId: string; [k: string]: unknown } };
}

/** Row counts of one account, to assert that something changed nothing. */
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
