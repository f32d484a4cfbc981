import type { Condition } from '@touchpoint/shared';
import { and, asc, eq, isNull, lte, notExists, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import { automationRules, automationRuns, conversations } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import { systemCtx, type Ctx } from '../../platform/context';
import { defineJob, type JobDefinition } from '../../platform/jobs';
import type { AppDeps } from '../../platform/module';
import { command, read } from '../../platform/tx';
import { evaluateConditions } from './conditions';
import { actAndRecord, type EnqueueWebhook } from './engine';
import { loadFacts } from './facts';
import type { RuleRow } from './presenters';

export const SWEEP_EVERY_MS = 5 * 60_000;
/** Conversations handled per rule per sweep; the rest wait for the next sweep. */
const BATCH = 200;
const STATUS_OF = { pending_for: 'pending', open_for: 'open', resolved_for: 'resolved' } as const;

type TimeTrigger = { schedule: keyof typeof STATUS_OF; hours: number };

/** The start of the next 5-minute slot strictly after `at`. */
export function nextSlot(at: Date): Date {
  return new Date((Math.floor(at.getTime() / SWEEP_EVERY_MS) + 1) * SWEEP_EVERY_MS);
}

/**
 * The stale period a time rule acts on once: the status and when the period began, i.e. the last conversation or
 * message event by anyone but this rule (the conversation's creation if none). The rule's own actions (a note, a
 * tag) change `updatedAt` but not this anchor, so they never open a new period; a customer message, an agent's
 * change or another rule's does, and once the conversation has been still for `hours` again the rule acts again.
 */
const periodKeySql = (ruleId: string) =>
  // Qualified by hand: drizzle may render a column of the outer table unqualified, which inside this subquery
  // would silently mean the events column of the same name.
  sql<string>`"conversations"."status" || '@' || floor(extract(epoch from coalesce(
    (select max(e.created_at) from events e
      where e.account_id = "conversations"."account_id" and e.conversation_id = "conversations"."id"
        and (e.type like 'conversation.%' or e.type like 'message.%')
        and not (e.actor_kind = 'automation' and e.actor_id is not distinct from ${ruleId}::uuid)),
    "conversations"."created_at")) * 1000)::bigint::text`;

async function sweepRule(ctx: Ctx, rule: RuleRow, now: Date, enqueueWebhook: EnqueueWebhook): Promise<number> {
  const trigger = rule.trigger as TimeTrigger;
  const cutoff = new Date(now.getTime() - trigger.hours * 3_600_000);
  const stateKeySql = periodKeySql(rule.id);
  const due = await read(ctx, (tx) =>
    tx
      .select({ conversation: conversations, stateKey: stateKeySql })
      .from(conversations)
      .where(
        and(
          eq(conversations.accountId, ctx.accountId),
          eq(conversations.status, STATUS_OF[trigger.schedule]),
          lte(conversations.updatedAt, cutoff),
          notExists(
            tx
              .select({ one: sql`1` })
              .from(automationRuns)
              .where(
                and(
                  eq(automationRuns.accountId, ctx.accountId),
                  eq(automationRuns.ruleId, rule.id),
                  eq(automationRuns.conversationId, conversations.id),
                  eq(automationRuns.stateKey, stateKeySql),
                ),
              ),
          ),
        ),
      )
      .orderBy(asc(conversations.updatedAt))
      .limit(BATCH),
  );
  for (const { conversation, stateKey } of due) {
    const matched = await read(ctx, async (tx) => {
      const facts = await loadFacts(tx, ctx.accountId, conversation, null);
      return evaluateConditions(rule.match as 'all' | 'any', rule.conditions as Condition[], facts).matched;
    });
    const runId = uuidv7();
    const claimed = await command(ctx, (tx) =>
      tx
        .insert(automationRuns)
        .values({
          id: runId,
          accountId: ctx.accountId,
          ruleId: rule.id,
          conversationId: conversation.id,
          stateKey,
          outcome: matched ? 'matched' : 'not_matched',
        })
        .onConflictDoNothing()
        .returning({ id: automationRuns.id }),
    );
    if (claimed.length === 0 || !matched) continue;
    await actAndRecord(ctx, rule, conversation.id, runId, null, enqueueWebhook);
  }
  return due.length;
}

const ZSweep = z.object({ slot: z.iso.datetime() });

/**
 * The time-rule sweep: every 5 minutes, one job per slot (the slot is its dedupe key, so several nodes or a
 * re-saved rule never double it). Each run schedules the next slot while any active time rule exists; saving an
 * active time rule (re)starts the chain.
 */
export function registerTimeRules(deps: Pick<AppDeps, 'database' | 'events' | 'jobs'>, enqueueWebhook: EnqueueWebhook) {
  const schedule = (slot: Date) =>
    deps.jobs.enqueue(job, { slot: slot.toISOString() }, { runAt: slot, dedupeKey: `slot:${slot.toISOString()}` });
  const job: JobDefinition<z.infer<typeof ZSweep>> = defineJob({
    name: 'automation-time-rules',
    schema: ZSweep,
    options: { retryLimit: 2, retryDelay: 30, expireInSeconds: 600 },
    run: async ({ slot }) => {
      const now = new Date();
      // Time rules of every account: read with the tenant wall lifted, then each acts inside its own tenant.
      const rules = await withSystem(deps.database.db, (tx) =>
        tx
          .select()
          .from(automationRules)
          .where(and(isNull(automationRules.eventType), eq(automationRules.active, true)))
          .orderBy(asc(automationRules.accountId), asc(automationRules.id)),
      );
      for (const rule of rules) {
        const ctx = systemCtx({ db: deps.database.db, events: deps.events }, rule.accountId, 'automation-time-rules');
        await sweepRule(ctx, rule, now, enqueueWebhook);
      }
      if (rules.length > 0) {
        const after = new Date(Math.max(now.getTime(), new Date(slot).getTime()));
        await schedule(nextSlot(after));
      }
    },
  });
  deps.jobs.register(job);
  return {
    job,
    /** Called after a rule is saved: an active time rule makes sure the sweep is scheduled. */
    async onRuleSaved(rule: RuleRow): Promise<void> {
      if (rule.eventType === null && rule.active) await schedule(nextSlot(new Date()));
    },
  };
}
