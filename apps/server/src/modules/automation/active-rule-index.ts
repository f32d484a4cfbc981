import { and, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { automationRules } from '../../db/schema';
import { withSystem } from '../../db/tenant';

const REFRESH_MS = 5_000;

/**
 * Which (account, event type) pairs have an active event rule, so the rule listener's `when` keeps events that no
 * rule can match (most messages of most accounts) off the job queue. Exact on this node: it is refreshed right
 * after every rule change here; other nodes pick a change up within REFRESH_MS.
 */
export class ActiveRuleIndex {
  private keys = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly db: Db) {}

  has(accountId: string, eventType: string): boolean {
    return this.keys.has(`${accountId}:${eventType}`);
  }

  async refresh(): Promise<void> {
    // Spans tenants on purpose: one small query for the whole node instead of one per account.
    const rows = await withSystem(this.db, (tx) =>
      tx
        .selectDistinct({ accountId: automationRules.accountId, eventType: automationRules.eventType })
        .from(automationRules)
        .where(and(eq(automationRules.active, true), isNotNull(automationRules.eventType))),
    );
    this.keys = new Set(rows.map((r) => `${r.accountId}:${r.eventType}`));
  }

  start(): void {
    this.timer ??= setInterval(() => void this.refresh().catch(() => {}), REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
