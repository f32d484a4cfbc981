import { decideRouting, weightKindOf, weightOf, type RoutingDecision, type RoutingRule } from '@touchpoint/shared';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { channels, conversations, customers, routingDecisions, routingOffers, routingQueue, routingRules } from '../../../db/schema';
import type { Ctx } from '../../../platform/context';
import { command } from '../../../platform/tx';
import { assignInTransaction } from '../../conversations';
import { presentRule } from '../presenters';
import { claimCapacity, loadCandidates } from './candidates';
import { teamSettings } from './loads';
import { deriveRequirements, type ConversationFacts } from './requirements';

export interface RouteOptions {
  /** Raise the relaxation level to at least this (the relaxation job). */
  relaxationLevel?: number;
  /** Drains re-offer queued conversations often; they record a decision only when one is assigned. */
  recordUnchangedQueued?: boolean;
  /** When the conversation started needing an agent (the triggering event), so listener order cannot reorder the queue. */
  since?: Date;
}

export interface RouteResult {
  outcome: 'assigned' | 'queued' | 'skipped';
  winnerId: string | null;
  decision: RoutingDecision | null;
  /** When the next relaxation step is due, for a queued conversation that has one. */
  nextRelaxation: { level: number; runAt: Date } | null;
  /** A chat/voice assignment the agent must accept before it expires. */
  offer: { id: string; expiresAt: Date } | null;
}

const SKIPPED: RouteResult = { outcome: 'skipped', winnerId: null, decision: null, nextRelaxation: null, offer: null };
/** Real-time channels, where an unanswered offer must move on to the next agent. */
const OFFERED_KINDS = new Set(['voice', 'web', 'chat', 'messaging']);

async function declinedBy(tx: Tx, accountId: string, conversationId: string): Promise<string[]> {
  const rows = await tx
    .select({ userId: routingOffers.userId })
    .from(routingOffers)
    .where(
      and(
        eq(routingOffers.accountId, accountId),
        eq(routingOffers.conversationId, conversationId),
        inArray(routingOffers.status, ['declined', 'expired']),
      ),
    );
  return rows.map((r) => r.userId);
}

async function factsOf(tx: Tx, conv: typeof conversations.$inferSelect): Promise<ConversationFacts> {
  const [channel] = await tx
    .select({ kind: channels.kind })
    .from(channels)
    .where(and(eq(channels.accountId, conv.accountId), eq(channels.id, conv.channelId)));
  const [customer] = await tx
    .select({ vip: customers.vip, segment: customers.segment })
    .from(customers)
    .where(and(eq(customers.accountId, conv.accountId), eq(customers.id, conv.customerId)));
  const intent = conv.customAttributes?.intent;
  return {
    channelKind: channel?.kind ?? 'api',
    tags: conv.tags,
    language: conv.language,
    vip: customer?.vip ?? false,
    segment: customer?.segment ?? null,
    intent: typeof intent === 'string' ? intent : null,
    priority: conv.priority,
    teamId: conv.teamId,
  };
}

async function activeRules(tx: Tx, accountId: string): Promise<RoutingRule[]> {
  const rows = await tx
    .select()
    .from(routingRules)
    .where(and(eq(routingRules.accountId, accountId), eq(routingRules.active, true)))
    .orderBy(asc(routingRules.position), asc(routingRules.id));
  return rows.map(presentRule);
}

/**
 * Routes one conversation in ONE transaction: lock the conversation (so it is never assigned twice), decide on a
 * snapshot of the candidates, claim the winner's capacity with one conditional UPDATE (so capacity holds under
 * any concurrency without locking every candidate), then assign, or (re)queue it. Every new decision is stored
 * with its explanation.
 */
export function routeConversation(ctx: Ctx, conversationId: string, opts: RouteOptions = {}): Promise<RouteResult> {
  return command(ctx, async (tx) => {
    const [conv] = await tx
      .select()
      .from(conversations)
      .where(and(eq(conversations.accountId, ctx.accountId), eq(conversations.id, conversationId)))
      .for('update');
    const [queued] = await tx
      .select()
      .from(routingQueue)
      .where(and(eq(routingQueue.accountId, ctx.accountId), eq(routingQueue.conversationId, conversationId)));
    const dequeue = () =>
      tx.delete(routingQueue).where(and(eq(routingQueue.accountId, ctx.accountId), eq(routingQueue.conversationId, conversationId)));
    if (!conv || conv.assigneeId || (conv.status !== 'open' && conv.status !== 'pending')) {
      if (queued) await dequeue();
      return SKIPPED;
    }
    const facts = await factsOf(tx, conv);
    const derived = deriveRequirements(await activeRules(tx, ctx.accountId), facts);
    const settings = await teamSettings(tx, ctx.accountId, derived.teamId);
    const weight = weightOf(facts.channelKind, settings.weights);
    const level = Math.max(opts.relaxationLevel ?? 0, queued?.relaxationLevel ?? 0);
    const excludedUserIds = await declinedBy(tx, ctx.accountId, conversationId);
    const now = new Date();
    const decide = async () =>
      decideRouting({
        requirements: {
          requiredSkills: derived.requiredSkills,
          language: derived.language,
          weight,
          relaxation: derived.relaxation,
          relaxationLevel: level,
        },
        candidates: await loadCandidates(tx, ctx.accountId, derived.teamId, settings.maxLoad),
        policy: settings.policy,
        rule: derived.rule,
        excludedUserIds,
      });
    // Decide on a snapshot, then claim the winner's capacity atomically; if a concurrent router claimed it first,
    // decide again on fresh loads (bounded: each retry means another conversation was just assigned).
    let decision = await decide();
    for (
      let attempt = 0;
      decision.winnerId && !(await claimCapacity(tx, ctx.accountId, decision.winnerId, weight, settings.maxLoad, now));
      attempt++
    ) {
      if (attempt >= 10) throw new Error('Routing could not claim capacity after 10 attempts');
      decision = await decide();
    }
    const record = () =>
      tx.insert(routingDecisions).values({
        accountId: ctx.accountId,
        conversationId,
        decidedAt: now,
        outcome: decision.outcome,
        winnerId: decision.winnerId,
        explanation: decision.explanation as unknown as Record<string, unknown>,
      });

    if (decision.winnerId) {
      await assignInTransaction(tx, ctx, conversationId, decision.winnerId, { teamId: derived.teamId });
      if (queued) await dequeue();
      await record();
      let offer: RouteResult['offer'] = null;
      if (settings.offerTimeoutSeconds && OFFERED_KINDS.has(weightKindOf(facts.channelKind))) {
        const expiresAt = new Date(now.getTime() + settings.offerTimeoutSeconds * 1000);
        const [row] = await tx
          .insert(routingOffers)
          .values({ accountId: ctx.accountId, conversationId, userId: decision.winnerId, offeredAt: now, expiresAt })
          .returning({ id: routingOffers.id });
        offer = { id: row!.id, expiresAt };
      }
      return { outcome: 'assigned', winnerId: decision.winnerId, decision, nextRelaxation: null, offer };
    }

    const enqueuedAt = queued?.enqueuedAt ?? opts.since ?? now;
    const values = {
      priority: derived.priority,
      teamId: derived.teamId,
      ruleId: derived.rule?.id ?? null,
      requiredSkills: derived.requiredSkills,
      language: derived.language,
      relaxationLevel: level,
    };
    await tx
      .insert(routingQueue)
      .values({ accountId: ctx.accountId, conversationId, enqueuedAt, ...values })
      .onConflictDoUpdate({ target: [routingQueue.accountId, routingQueue.conversationId], set: values });
    const changed = !queued || queued.relaxationLevel !== level;
    if (changed || opts.recordUnchangedQueued !== false) await record();
    const step = derived.relaxation[level];
    const nextRelaxation = step ? { level: level + 1, runAt: new Date(enqueuedAt.getTime() + step.afterSeconds * 1000) } : null;
    return { outcome: 'queued', winnerId: null, decision, nextRelaxation, offer: null };
  });
}
