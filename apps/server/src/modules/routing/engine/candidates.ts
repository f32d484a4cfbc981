import type { CandidateAgent, PresenceState } from '@touchpoint/shared';
import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { agentLanguages, agentLoads, agentPresence, agentSkills, memberships, teamMembers } from '../../../db/schema';
import { ensureLoadRows } from './loads';

/** Who may be routed to: active members who work conversations (not analysts), of the team when there is one. */
async function candidateIds(tx: Tx, accountId: string, teamId: string | null): Promise<string[]> {
  const base = and(eq(memberships.accountId, accountId), eq(memberships.active, true), ne(memberships.role, 'analyst'));
  const rows = teamId
    ? await tx
        .select({ userId: memberships.userId })
        .from(memberships)
        .innerJoin(
          teamMembers,
          and(eq(teamMembers.accountId, accountId), eq(teamMembers.teamId, teamId), eq(teamMembers.userId, memberships.userId)),
        )
        .where(base)
        .orderBy(asc(memberships.userId))
    : await tx.select({ userId: memberships.userId }).from(memberships).where(base).orderBy(asc(memberships.userId));
  return rows.map((r) => r.userId);
}

/**
 * Every candidate of a team as a snapshot, without locks, for the explanation of a decision that found nobody to
 * claim (pick.ts claims). Offline/away/busy agents are reported in the explanation but cannot win.
 */
export async function loadCandidates(tx: Tx, accountId: string, teamId: string | null, maxLoad: number): Promise<CandidateAgent[]> {
  const ids = await candidateIds(tx, accountId, teamId);
  if (ids.length === 0) return [];
  const presence = await tx
    .select({ userId: agentPresence.userId, state: agentPresence.state })
    .from(agentPresence)
    .where(and(eq(agentPresence.accountId, accountId), inArray(agentPresence.userId, ids)));
  const stateOf = new Map(presence.map((p) => [p.userId, p.state as PresenceState]));
  const online = ids.filter((id) => stateOf.get(id) === 'online');
  const loads = new Map<string, { load: number; lastAssignedAt: Date | null }>();
  const skills = new Map<string, Record<string, number>>();
  const languages = new Map<string, string[]>();
  if (online.length > 0) {
    await ensureLoadRows(tx, accountId, online);
    const rows = await tx
      .select({ userId: agentLoads.userId, load: agentLoads.load, lastAssignedAt: agentLoads.lastAssignedAt })
      .from(agentLoads)
      .where(and(eq(agentLoads.accountId, accountId), inArray(agentLoads.userId, online)));
    for (const r of rows) loads.set(r.userId, r);
  }
  // Skills and languages of everyone, online or not: an away expert is "away", not "lacks skill".
  const skillRows = await tx
    .select()
    .from(agentSkills)
    .where(and(eq(agentSkills.accountId, accountId), inArray(agentSkills.userId, ids)));
  for (const s of skillRows) skills.set(s.userId, { ...skills.get(s.userId), [s.skillId]: s.proficiency });
  const langRows = await tx
    .select()
    .from(agentLanguages)
    .where(and(eq(agentLanguages.accountId, accountId), inArray(agentLanguages.userId, ids)));
  for (const l of langRows) languages.set(l.userId, [...(languages.get(l.userId) ?? []), l.language]);
  return ids.map((userId) => ({
    userId,
    state: stateOf.get(userId) ?? 'offline',
    load: loads.get(userId)?.load ?? 0,
    maxLoad,
    skills: skills.get(userId) ?? {},
    languages: languages.get(userId) ?? [],
    lastAssignedAt: loads.get(userId)?.lastAssignedAt?.toISOString() ?? null,
  }));
}

/**
 * Whether anyone could take a conversation now: a candidate of the team (any candidate of the account without a
 * team) whose presence is `online`. Read-only (no load rows), for "is anyone there?" questions like the web chat's.
 */
export async function hasAvailableAgent(tx: Tx, accountId: string, teamId: string | null): Promise<boolean> {
  const ids = await candidateIds(tx, accountId, teamId);
  if (ids.length === 0) return false;
  const [row] = await tx
    .select({ userId: agentPresence.userId })
    .from(agentPresence)
    .where(and(eq(agentPresence.accountId, accountId), inArray(agentPresence.userId, ids), eq(agentPresence.state, 'online')))
    .limit(1);
  return !!row;
}
