import type { Presence, TeamRouting } from '@touchpoint/shared';
import { and, asc, desc, eq, lt, ne, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import {
  accounts,
  agentLanguages,
  agentLoads,
  agentPresence,
  agentSkills,
  memberships,
  routingDecisions,
  routingQueue,
  routingRules,
  skills,
  teams,
  users,
} from '../../db/schema';
import { notFound } from '../../platform/errors';
import { teamSettings } from './engine/loads';

export async function checkTeamExists(tx: Tx, accountId: string, teamId: string): Promise<void> {
  const [t] = await tx
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.accountId, accountId), eq(teams.id, teamId)));
  if (!t) throw notFound('Team');
}

export async function getTeamRouting(tx: Tx, accountId: string, teamId: string): Promise<TeamRouting> {
  await checkTeamExists(tx, accountId, teamId);
  const s = await teamSettings(tx, accountId, teamId);
  return {
    teamId,
    weights: s.weights as Record<string, number>,
    maxLoad: s.maxLoad,
    policy: s.policy,
    offerTimeoutSeconds: s.offerTimeoutSeconds,
    offlineConversations: s.offlineConversations,
  };
}

/** Every routable member (not analysts) with state (default offline) and current load. */
export async function listPresence(tx: Tx, accountId: string): Promise<Presence[]> {
  const rows = await tx
    .select({
      userId: memberships.userId,
      name: users.name,
      state: agentPresence.state,
      since: agentPresence.since,
      source: agentPresence.source,
      load: agentLoads.load,
      lastAssignedAt: agentLoads.lastAssignedAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(agentPresence, and(eq(agentPresence.accountId, accountId), eq(agentPresence.userId, memberships.userId)))
    .leftJoin(agentLoads, and(eq(agentLoads.accountId, accountId), eq(agentLoads.userId, memberships.userId)))
    .where(and(eq(memberships.accountId, accountId), eq(memberships.active, true), ne(memberships.role, 'analyst')))
    .orderBy(asc(users.name), asc(memberships.userId));
  return rows.map((r) => ({
    userId: r.userId,
    name: r.name,
    state: (r.state ?? 'offline') as Presence['state'],
    since: r.since?.toISOString() ?? null,
    source: (r.source ?? null) as Presence['source'],
    load: Math.round((r.load ?? 0) * 1000) / 1000,
    lastAssignedAt: r.lastAssignedAt?.toISOString() ?? null,
  }));
}

export const listSkills = (tx: Tx, accountId: string) =>
  tx.select().from(skills).where(eq(skills.accountId, accountId)).orderBy(asc(skills.name));

export async function getRoutingProfile(tx: Tx, accountId: string, userId: string) {
  const [member] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.accountId, accountId), eq(memberships.userId, userId)));
  if (!member) throw notFound('User');
  const s = await tx
    .select({ skillId: agentSkills.skillId, name: skills.name, proficiency: agentSkills.proficiency })
    .from(agentSkills)
    .innerJoin(skills, and(eq(skills.id, agentSkills.skillId), eq(skills.accountId, accountId)))
    .where(and(eq(agentSkills.accountId, accountId), eq(agentSkills.userId, userId)))
    .orderBy(asc(skills.name));
  const l = await tx
    .select({ language: agentLanguages.language })
    .from(agentLanguages)
    .where(and(eq(agentLanguages.accountId, accountId), eq(agentLanguages.userId, userId)))
    .orderBy(asc(agentLanguages.language));
  return { userId, skills: s, languages: l.map((x) => x.language) };
}

export const listRules = (tx: Tx, accountId: string) =>
  tx.select().from(routingRules).where(eq(routingRules.accountId, accountId)).orderBy(asc(routingRules.position), asc(routingRules.id));

/** Newest first; ids are UUIDv7 (time-ordered), so the id alone is the keyset. */
export async function listDecisions(tx: Tx, accountId: string, conversationId: string, limit: number, before: string | null) {
  const rows = await tx
    .select()
    .from(routingDecisions)
    .where(
      and(
        eq(routingDecisions.accountId, accountId),
        eq(routingDecisions.conversationId, conversationId),
        before ? lt(routingDecisions.id, before) : undefined,
      ),
    )
    .orderBy(desc(routingDecisions.id))
    .limit(limit + 1);
  return { items: rows.slice(0, limit), more: rows.length > limit };
}

export const listQueue = (tx: Tx, accountId: string, limit = 100) =>
  tx
    .select()
    .from(routingQueue)
    .where(eq(routingQueue.accountId, accountId))
    .orderBy(desc(routingQueue.priority), asc(routingQueue.enqueuedAt), asc(routingQueue.conversationId))
    .limit(limit);

/**
 * Whether opening the workspace makes an agent available (the account's `settings.availableOnOpen`, set through
 * PATCH /account; anything but an explicit false is true).
 */
export async function availableOnOpen(tx: Tx, accountId: string): Promise<boolean> {
  const [row] = await tx
    .select({ value: sql<string | null>`${accounts.settings}->>'availableOnOpen'` })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  return row?.value !== 'false';
}
