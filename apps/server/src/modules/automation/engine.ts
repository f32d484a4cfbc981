import type { Condition } from '@touchpoint/shared';
import { and, eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { automationRuns } from '../../db/schema';
import type { Ctx } from '../../platform/context';
import type { StoredEvent } from '../../platform/events';
import { command, read } from '../../platform/tx';
import { getConversation } from '../conversations';
import { runActions } from './actions';
import { evaluateConditions } from './conditions';
import { loadFacts, type ConversationFacts, type MessageFacts } from './facts';
import type { RuleRow } from './presenters';
import type { WebhookCall } from './webhook';

/** Events caused by rules reacting to rules stop here: depth 0 is a person's (or channel's) event. */
export const MAX_CAUSATION_DEPTH = 3;

export type EnqueueWebhook = (call: WebhookCall, dedupeKey: string) => Promise<void>;

/** Why a rule must not react to an event (loop prevention), or null. */
export function skipReason(rule: { id: string }, event: Pick<StoredEvent, 'actorKind' | 'actorId' | 'causationDepth'>): string | null {
  if (event.actorKind === 'automation' && event.actorId === rule.id) return 'caused_by_this_rule';
  if (event.causationDepth >= MAX_CAUSATION_DEPTH) return `causation_depth_limit (${MAX_CAUSATION_DEPTH})`;
  return null;
}

/** The ctx a rule acts with: its own actor, and the causation of the event it reacts to (so depth grows). */
export function ruleCtx(ctx: Ctx, rule: { id: string }): Ctx {
  return { ...ctx, actor: { kind: 'automation', accountId: ctx.accountId, ruleId: rule.id }, requestId: `automation:${rule.id}` };
}

/**
 * One rule against one event. The run row is claimed before any action (unique per rule and event), so a
 * redelivered event finds it and does nothing: actions run at most once per rule per event.
 */
export async function evaluateForEvent(ctx: Ctx, rule: RuleRow, event: StoredEvent, enqueueWebhook: EnqueueWebhook): Promise<void> {
  const conversationId = event.conversationId!;
  const skip = skipReason(rule, event);
  let matched = false;
  if (!skip) {
    // Rule events carry the conversation (and message.created its message) as of the event.
    const p = event.payload;
    const snapshot: ConversationFacts | undefined = 'conversation' in p ? p.conversation : undefined;
    const message: MessageFacts | null = 'message' in p ? p.message : null;
    matched = await read(ctx, async (tx) => {
      const conv = snapshot ?? (await getConversation(tx, ctx.accountId, conversationId)).conversation;
      const facts = await loadFacts(tx, ctx.accountId, conv, message);
      return evaluateConditions(rule.match as 'all' | 'any', rule.conditions as Condition[], facts).matched;
    });
  }
  const runId = uuidv7();
  const claimed = await command(ctx, (tx) =>
    tx
      .insert(automationRuns)
      .values({
        id: runId,
        accountId: ctx.accountId,
        ruleId: rule.id,
        eventId: event.id,
        conversationId,
        outcome: skip ? 'skipped' : matched ? 'matched' : 'not_matched',
        reason: skip,
      })
      .onConflictDoNothing()
      .returning({ id: automationRuns.id }),
  );
  if (claimed.length === 0 || !matched) return;
  await actAndRecord(ctx, rule, conversationId, runId, { id: event.id, type: event.type }, enqueueWebhook);
}

/**
 * Runs a claimed run's actions and records them. Webhook calls are enqueued only after the run row holds its
 * actions: a delivery job that finished first would otherwise write its outcome into a row about to be overwritten.
 */
export async function actAndRecord(
  ctx: Ctx,
  rule: RuleRow,
  conversationId: string,
  runId: string,
  event: { id: string; type: string } | null,
  enqueueWebhook: EnqueueWebhook,
): Promise<void> {
  const calls: [WebhookCall, string][] = [];
  const result = await runActions({
    ctx: ruleCtx(ctx, rule),
    rule,
    conversationId,
    runId,
    event,
    enqueueWebhook: async (call, dedupeKey) => void calls.push([call, dedupeKey]),
  });
  await command(ctx, (tx) =>
    tx
      .update(automationRuns)
      .set({ outcome: result.error ? 'failed' : 'matched', actions: result.taken, error: result.error })
      .where(and(eq(automationRuns.accountId, ctx.accountId), eq(automationRuns.id, runId))),
  );
  for (const [call, dedupeKey] of calls) await enqueueWebhook(call, dedupeKey);
}
