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
import { runActions } from './actions';
import { evaluateConditions } from './conditions';
import { recordResult, ruleCtx, type EnqueueWebhook } from './engine';
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
 * The conversation state a time rule acts on once: its status and when it last changed. A conversation that
 * changes (a reply, a tag) and sits in the status long enough again is a new state, so the rule may run again.
 */
const stateKeySql = sql<string>`${conversations.status} || '@' || floor(extract(epoch from ${conversations.updatedAt}) * 1000)::bigint::text`;

async function sweepRule(ctx: Ctx, rule: RuleRow, now: Date, enqueueWebhook: EnqueueWebhook): Promise<number> {
  const trigger = rule.trigger as TimeTrigger;
  const cutoff = new Date(now.getTime() - trigger.hours * 3_600_000);
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
    const result = await runActions({ ctx: ruleCtx(ctx, rule), rule, conversationId: conversation.id, runId, event: null, enqueueWebhook });
    await recordResult(ctx, runId, result);
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
