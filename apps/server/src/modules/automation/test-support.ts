import { count, eq } from 'drizzle-orm';
import { automationRules, automationRuns } from '../../db/schema';
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

// One definition of the row counts and the event list for every module's tests.
export { countsOf, eventsOf, startConversation } from '../../../test/rows';
