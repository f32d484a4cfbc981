import {
  decideRouting,
  relaxedRequirements,
  weightKindOf,
  weightOf,
  type DecideInput,
  type RoutingDecision,
  type RoutingRequirements,
} from '@touchpoint/shared';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import {
  channels,
  conversations,
  customers,
  routingDecisions,
  routingOffers,
  routingQueue,
  routingRules,
  teamRoutingSettings,
} from '../../../db/schema';
import type { Ctx } from '../../../platform/context';
import { command } from '../../../platform/tx';
import { assignInTransaction } from '../../conversations';
import { loadCandidates } from './candidates';
import { settingsOf, teamSettings, type TeamSettings } from './loads';
import { loadOrdered, pickAndClaim, type PickResult } from './pick';
import { deriveRequirements, type ConversationFacts, type DerivedRequirements, type RuleForRouting } from './requirements';

/** Agents the bounded pick looks at: well above the routers that can hold agents at once. */
const BOUND = 64;

export interface RouteOptions {
  /** Raise the relaxation level to at least this (the relaxation job). */
  relaxationLevel?: number;
  /** Drains re-offer queued conversations often; they record a decision only when one is assigned. */
  recordUnchangedQueued?: boolean;
  /** When the conversation started needing an agent (the triggering event), so listener order cannot reorder the queue. */
  since?: Date;
  /** Writes the jobs the decision calls for, in the deciding transaction. */
  schedule?: (tx: Tx, result: RouteResult) => Promise<void>;
  /**
   * Why the conversation is being routed again, when something other than its arrival caused it (its agent went
   * away): put before the decision's own `why` and kept in the explanation as `cause`.
   */
  cause?: { why: string; details: Record<string, unknown> };
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

const declinedIds = (accountId: string, conversationId: string) =>
  sql<string[]>`array(select ${routingOffers.userId} from ${routingOffers}
    where ${routingOffers.accountId} = ${accountId} and ${routingOffers.conversationId} = ${conversationId}
      and ${routingOffers.status} in ('declined', 'expired'))`;

/** The account's active routing rules in order, as JSON in the same statement. */
const activeRulesJson = (accountId: string) =>
  sql<RuleForRouting[]>`coalesce((select json_agg(json_build_object('id', r.id, 'name', r.name, 'active', r.active,
      'conditions', r.conditions, 'actions', r.actions, 'relaxation', r.relaxation) order by r.position, r.id)
    from ${routingRules} r where r.account_id = ${accountId} and r.active), '[]'::json)`;

/**
 * The conversation (locked), its queue entry, what the rules look at, who declined it, the active rules and its
 * team's routing settings: one statement, where each was one round trip.
 */
async function lockWithFacts(tx: Tx, accountId: string, conversationId: string) {
  const [row] = await tx
    .select({
      conv: conversations,
      queued: routingQueue,
      channelKind: channels.kind,
      vip: customers.vip,
      segment: customers.segment,
      declined: declinedIds(accountId, conversationId),
      rules: activeRulesJson(accountId),
      teamSettings: teamRoutingSettings,
    })
    .from(conversations)
    .leftJoin(channels, and(eq(channels.accountId, conversations.accountId), eq(channels.id, conversations.channelId)))
    .leftJoin(customers, and(eq(customers.accountId, conversations.accountId), eq(customers.id, conversations.customerId)))
    .leftJoin(routingQueue, and(eq(routingQueue.accountId, conversations.accountId), eq(routingQueue.conversationId, conversations.id)))
    .leftJoin(
      teamRoutingSettings,
      and(eq(teamRoutingSettings.accountId, conversations.accountId), eq(teamRoutingSettings.teamId, conversations.teamId)),
    )
    .where(and(eq(conversations.accountId, accountId), eq(conversations.id, conversationId)))
    .for('update', { of: conversations });
  if (!row) return null;
  const intent = row.conv.customAttributes?.intent;
  const facts: ConversationFacts = {
    channelKind: row.channelKind ?? 'api',
    tags: row.conv.tags,
    language: row.conv.language,
    vip: row.vip ?? false,
    segment: row.segment ?? null,
    intent: typeof intent === 'string' ? intent : null,
    priority: row.conv.priority,
    teamId: row.conv.teamId,
  };
  return {
    conv: row.conv,
    queued: row.queued,
    facts,
    declined: row.declined ?? [],
    rules: row.rules,
    convTeamSettings: settingsOf(row.teamSettings),
  };
}

interface DecideContext {
  accountId: string;
  requirements: RoutingRequirements;
  derived: DerivedRequirements;
  settings: TeamSettings;
  excludedUserIds: string[];
  at: Date;
}

/**
 * The explanation of a fast-path pick: decideRouting over the shortlist must choose the claimed agent once the
 * agents concurrent routers were holding (skipped by SKIP LOCKED) are marked busy; anything else is a bug in the
 * SQL order, and fails loudly rather than store an explanation that does not match the assignment.
 */
function explainPick(input: Omit<DecideInput, 'candidates'>, pick: PickResult): RoutingDecision {
  const busyUserIds: string[] = [];
  for (;;) {
    const d = decideRouting({ ...input, candidates: pick.shortlist, busyUserIds, scope: 'shortlist' });
    if (d.winnerId === pick.winnerId) return d;
    if (!d.winnerId || busyUserIds.includes(d.winnerId))
      throw new Error(`Routing: the SQL pick ${pick.winnerId} disagrees with decideRouting`);
    busyUserIds.push(d.winnerId);
  }
}

/**
 * Picks and claims in SQL (skipping agents other routers hold, then waiting for them); only when nobody could be
 * claimed are all candidates read, so the queued decision says why each one is not eligible.
 */
async function decide(tx: Tx, c: DecideContext): Promise<RoutingDecision> {
  const input = { requirements: c.requirements, policy: c.settings.policy, rule: c.derived.rule, excludedUserIds: c.excludedUserIds };
  const eff = relaxedRequirements(c.requirements);
  // Cheapest first: the bounded walk (load-ordered policies), then every eligible agent, then waiting for the
  // agents other routers hold rather than skipping them.
  const steps = [
    ...(loadOrdered(c.settings.policy, eff.requiredSkills.length > 0) ? [{ bound: BOUND, skipLocked: true }] : []),
    { bound: null, skipLocked: true },
    { bound: null, skipLocked: false },
  ];
  for (let attempt = 0; attempt < 3; attempt++) {
    for (const step of steps) {
      const pick = await pickAndClaim(tx, {
        accountId: c.accountId,
        teamId: c.derived.teamId,
        policy: c.settings.policy,
        requiredSkills: eff.requiredSkills,
        language: eff.language,
        weight: eff.weight,
        maxLoad: c.settings.maxLoad,
        excludedUserIds: c.excludedUserIds,
        at: c.at,
        ...step,
      });
      if (pick.winnerId) return explainPick(input, pick);
    }
    const full = decideRouting({ ...input, candidates: await loadCandidates(tx, c.accountId, c.derived.teamId, c.settings.maxLoad) });
    if (!full.winnerId) return full;
    // Capacity freed (or an agent's load row appeared) between the pick and the full read: pick again.
  }
  throw new Error('Routing could not claim an eligible agent after 3 attempts');
}

/**
 * Routes one conversation in ONE transaction: lock the conversation (so it is never assigned twice), pick and
 * claim the winner's capacity in one statement (so capacity holds under any concurrency, and concurrent routers
 * spread over agents instead of waiting on one), then assign, or (re)queue it. Every new decision is stored with
 * its explanation.
 */
export function routeConversation(ctx: Ctx, conversationId: string, opts: RouteOptions = {}): Promise<RouteResult> {
  return command(ctx, (tx) => routeInTransaction(tx, ctx, conversationId, opts));
}

/** The same, inside a transaction the caller holds (returning a conversation to the queue unassigns and routes at once). */
export async function routeInTransaction(tx: Tx, ctx: Ctx, conversationId: string, opts: RouteOptions = {}): Promise<RouteResult> {
  const result = await routeIn(tx, ctx, conversationId, opts);
  // The follow-up jobs (relaxation, offer timeout) commit with the decision: a crash cannot keep one without the other.
  await opts.schedule?.(tx, result);
  return result;
}

/** The decision with the cause of this routing, if any, in front of its own reasons. */
function withCause(decision: RoutingDecision, cause: RouteOptions['cause']): RoutingDecision {
  if (!cause) return decision;
  const why = `${cause.why}; then ${decision.explanation.why}`;
  return { ...decision, explanation: { ...decision.explanation, why, cause: cause.details } as RoutingDecision['explanation'] };
}

async function routeIn(tx: Tx, ctx: Ctx, conversationId: string, opts: RouteOptions): Promise<RouteResult> {
  const found = await lockWithFacts(tx, ctx.accountId, conversationId);
  const queued = found?.queued ?? null;
  const dequeue = () =>
    tx.delete(routingQueue).where(and(eq(routingQueue.accountId, ctx.accountId), eq(routingQueue.conversationId, conversationId)));
  if (!found || found.conv.assigneeId || (found.conv.status !== 'open' && found.conv.status !== 'pending')) {
    if (queued) await dequeue();
    return SKIPPED;
  }
  const { conv, facts } = found;
  const derived = deriveRequirements(found.rules, facts);
  // A rule may hand the conversation to another team, whose settings then apply.
  const settings = derived.teamId === conv.teamId ? found.convTeamSettings : await teamSettings(tx, ctx.accountId, derived.teamId);
  const weight = weightOf(facts.channelKind, settings.weights);
  const level = Math.max(opts.relaxationLevel ?? 0, queued?.relaxationLevel ?? 0);
  const now = new Date();
  const requirements: RoutingRequirements = {
    requiredSkills: derived.requiredSkills,
    language: derived.language,
    weight,
    relaxation: derived.relaxation,
    relaxationLevel: level,
  };
  const decision = withCause(
    await decide(tx, {
      accountId: ctx.accountId,
      requirements,
      derived,
      settings,
      excludedUserIds: found.declined,
      at: now,
    }),
    opts.cause,
  );
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
    await assignInTransaction(
      tx,
      ctx,
      { conversationId, assigneeId: decision.winnerId, teamId: derived.teamId },
      { lockedWithMemberAssignee: conv, routed: true },
    );
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
}
