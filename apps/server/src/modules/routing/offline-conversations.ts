import type { ConversationStatus, OfflineConversations, PresenceState } from '@touchpoint/shared';
import { and, asc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { agentPresence, agentPresenceHistory, conversations, teamMembers, teamRoutingSettings, teams, users } from '../../db/schema';
import type { Ctx } from '../../platform/context';
import { assignInTransaction } from '../conversations';
import { teamSettings } from './engine/loads';
import type { RouteOptions } from './engine/route-conversation';
import { AVAILABLE_STATES } from './presence';

/** The statuses of conversations an agent is working on: snoozed and resolved ones are left alone. */
const OPEN_STATUSES: ConversationStatus[] = ['open', 'pending'];
/** Conversations one return job moves; more wait for the job's next run (it re-enqueues itself). */
export const RETURN_BATCH = 200;

/**
 * The teams whose setting returns this agent's conversations to the queue, with their grace: teams they belong to
 * and teams of conversations they hold, whose mode is `requeue`.
 */
export async function requeueTeamsOf(tx: Tx, accountId: string, userId: string): Promise<{ teamId: string; graceMinutes: number }[]> {
  return tx
    .select({ teamId: teamRoutingSettings.teamId, graceMinutes: teamRoutingSettings.offlineGraceMinutes })
    .from(teamRoutingSettings)
    .where(
      and(
        eq(teamRoutingSettings.accountId, accountId),
        eq(teamRoutingSettings.offlineMode, 'requeue'),
        or(
          sql`exists (select 1 from ${teamMembers} m where m.account_id = ${accountId} and m.team_id = ${teamRoutingSettings.teamId}
            and m.user_id = ${userId})`,
          sql`exists (select 1 from ${conversations} c where c.account_id = ${accountId} and c.team_id = ${teamRoutingSettings.teamId}
            and c.assignee_id = ${userId} and c.status in ('open', 'pending'))`,
        ),
      ),
    )
    .orderBy(asc(teamRoutingSettings.teamId));
}

/** The agent's current state (no row: offline) and why it was set. */
async function presenceOf(tx: Tx, accountId: string, userId: string) {
  const [row] = await tx
    .select({ state: agentPresence.state, source: agentPresence.source })
    .from(agentPresence)
    .where(and(eq(agentPresence.accountId, accountId), eq(agentPresence.userId, userId)));
  return { state: (row?.state ?? 'offline') as PresenceState, source: row?.source ?? null };
}

/** Was the agent online or busy at any moment after `since` (they came back, perhaps only for a while)? */
async function availableSince(tx: Tx, accountId: string, userId: string, since: Date): Promise<boolean> {
  const [row] = await tx
    .select({ id: agentPresenceHistory.id })
    .from(agentPresenceHistory)
    .where(
      and(
        eq(agentPresenceHistory.accountId, accountId),
        eq(agentPresenceHistory.userId, userId),
        inArray(agentPresenceHistory.state, [...AVAILABLE_STATES]),
        or(isNull(agentPresenceHistory.endedAt), gt(agentPresenceHistory.endedAt, since)),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Whether the agent is still unavailable, without a break, since they stopped being online or busy at `since`. */
export async function stillUnavailable(tx: Tx, accountId: string, userId: string, since: Date): Promise<boolean> {
  const { state } = await presenceOf(tx, accountId, userId);
  return !AVAILABLE_STATES.includes(state) && !(await availableSince(tx, accountId, userId, since));
}

const minutes = (n: number) => `${n} minute${n === 1 ? '' : 's'}`;

/** "Returned to the queue: Dana was away (disconnected) for 15 minutes (team Billing returns conversations after 15 min)". */
export function returnCause(
  who: { id: string; name: string; state: PresenceState; source: string | null; since: Date },
  team: { id: string; name: string; setting: OfflineConversations },
  now: Date,
): NonNullable<RouteOptions['cause']> {
  const grace = team.setting.graceMinutes;
  const away = Math.max(grace, Math.floor((now.getTime() - who.since.getTime()) / 60_000));
  const state = who.state === 'away' && who.source === 'disconnected' ? 'away (disconnected)' : who.state;
  const after = grace === 0 ? 'at once' : `after ${grace} min`;
  return {
    why: `Returned to the queue: ${who.name} was ${state} for ${minutes(away)} (team ${team.name} returns conversations ${after})`,
    details: {
      kind: 'agent_unavailable',
      agent: { userId: who.id, name: who.name, state: who.state, source: who.source, since: who.since.toISOString(), minutes: away },
      team: { id: team.id, name: team.name, graceMinutes: grace },
    },
  };
}

export interface ReturnPlan {
  /** When the team's grace, lengthened since the job was written, is over. */
  notBefore: Date | null;
  conversationIds: string[];
  cause: NonNullable<RouteOptions['cause']> | null;
}

/**
 * What a return job should do for one agent and team: nothing when the agent is back (or was back since), the team
 * keeps conversations now, or there is nothing to return; wait when the grace is not over; else the conversations.
 */
export async function planReturn(
  tx: Tx,
  job: { accountId: string; userId: string; teamId: string; since: Date; graceMinutes: number },
  now: Date,
): Promise<ReturnPlan> {
  const { accountId, userId, teamId, since } = job;
  const none: ReturnPlan = { notBefore: null, conversationIds: [], cause: null };
  if (!(await stillUnavailable(tx, accountId, userId, since))) return none;
  const setting = (await teamSettings(tx, accountId, teamId)).offlineConversations;
  if (setting.mode !== 'requeue') return none;
  // The team lengthened its grace after the job was written: wait for the rest of it.
  if (setting.graceMinutes > job.graceMinutes) return { ...none, notBefore: new Date(since.getTime() + setting.graceMinutes * 60_000) };
  const rows = await tx
    .select({ id: conversations.id })
    .from(conversations)
    .where(
      and(
        eq(conversations.accountId, accountId),
        eq(conversations.assigneeId, userId),
        eq(conversations.teamId, teamId),
        inArray(conversations.status, OPEN_STATUSES),
      ),
    )
    .orderBy(asc(conversations.id))
    .limit(RETURN_BATCH);
  if (rows.length === 0) return none;
  const [who] = await tx.select({ name: users.name }).from(users).where(eq(users.id, userId));
  const [team] = await tx
    .select({ name: teams.name })
    .from(teams)
    .where(and(eq(teams.accountId, accountId), eq(teams.id, teamId)));
  const presence = await presenceOf(tx, accountId, userId);
  const cause = returnCause(
    { id: userId, name: who?.name ?? 'The agent', state: presence.state, source: presence.source, since },
    { id: teamId, name: team?.name ?? 'of this conversation', setting },
    now,
  );
  return { notBefore: null, conversationIds: rows.map((r) => r.id), cause };
}

/**
 * Unassigns one conversation of an unavailable agent and routes it again, in one transaction (so the decision that
 * records why is the first thing the queue or the next agent sees). The unassignment is marked `routed`: the engine
 * decides here and now, so the routing listener does not route it a second time. False when it no longer applies
 * (resolved, snoozed, reassigned, moved to another team, or the agent came back meanwhile).
 */
export async function returnConversation(
  tx: Tx,
  ctx: Ctx,
  conversationId: string,
  expect: { userId: string; teamId: string; since: Date },
  route: (tx: Tx, conversationId: string) => Promise<unknown>,
): Promise<boolean> {
  const [conv] = await tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.accountId, ctx.accountId), eq(conversations.id, conversationId)))
    .for('update');
  if (!conv || conv.assigneeId !== expect.userId || conv.teamId !== expect.teamId || !OPEN_STATUSES.includes(conv.status)) return false;
  if (!(await stillUnavailable(tx, ctx.accountId, expect.userId, expect.since))) return false;
  await assignInTransaction(tx, ctx, { conversationId, assigneeId: null }, { lockedWithMemberAssignee: conv, routed: true });
  await route(tx, conversationId);
  return true;
}
