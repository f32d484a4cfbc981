import {
  DEFAULT_MAX_LOAD,
  DEFAULT_OFFLINE_CONVERSATIONS,
  weightOf,
  type CapacityWeights,
  type OfflineConversations,
  type RoutingPolicy,
} from '@touchpoint/shared';
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { agentLoads, channels, conversations, teamRoutingSettings } from '../../../db/schema';

export interface TeamSettings {
  weights: Partial<CapacityWeights>;
  maxLoad: number;
  policy: RoutingPolicy;
  offerTimeoutSeconds: number | null;
  offlineConversations: OfflineConversations;
}

export const DEFAULT_SETTINGS: TeamSettings = {
  weights: {},
  maxLoad: DEFAULT_MAX_LOAD,
  policy: 'skills',
  offerTimeoutSeconds: null,
  offlineConversations: DEFAULT_OFFLINE_CONVERSATIONS,
};

/** The settings a stored row says, or the defaults when the team has none. */
export const settingsOf = (row: typeof teamRoutingSettings.$inferSelect | null | undefined): TeamSettings =>
  row
    ? {
        weights: row.weights,
        maxLoad: row.maxLoad,
        policy: row.policy as RoutingPolicy,
        offerTimeoutSeconds: row.offerTimeoutSeconds,
        offlineConversations: { mode: row.offlineMode as OfflineConversations['mode'], graceMinutes: row.offlineGraceMinutes },
      }
    : DEFAULT_SETTINGS;

/** A team's routing settings, or the defaults (also for conversations without a team). */
export async function teamSettings(tx: Tx, accountId: string, teamId: string | null): Promise<TeamSettings> {
  if (!teamId) return DEFAULT_SETTINGS;
  const [row] = await tx
    .select()
    .from(teamRoutingSettings)
    .where(and(eq(teamRoutingSettings.accountId, accountId), eq(teamRoutingSettings.teamId, teamId)));
  return settingsOf(row);
}

/** Load rows exist before anyone locks them (inserted in user-id order, like every lock taker). */
export async function ensureLoadRows(tx: Tx, accountId: string, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  await tx
    .insert(agentLoads)
    .values([...userIds].sort().map((userId) => ({ accountId, userId })))
    .onConflictDoNothing();
}

/**
 * Recomputes an agent's load from their open/pending conversations, under the row lock the router takes, so
 * resolves, unassignments and manual assignments are reflected exactly (idempotent: listeners may run twice).
 */
export async function recomputeLoad(tx: Tx, accountId: string, userId: string): Promise<{ before: number; after: number }> {
  await ensureLoadRows(tx, accountId, [userId]);
  const [row] = await tx
    .select({ load: agentLoads.load })
    .from(agentLoads)
    .where(and(eq(agentLoads.accountId, accountId), eq(agentLoads.userId, userId)))
    .for('update');
  const assigned = await tx
    .select({ teamId: conversations.teamId, kind: channels.kind })
    .from(conversations)
    .innerJoin(channels, and(eq(channels.id, conversations.channelId), eq(channels.accountId, conversations.accountId)))
    .where(
      and(eq(conversations.accountId, accountId), eq(conversations.assigneeId, userId), inArray(conversations.status, ['open', 'pending'])),
    );
  const settings = new Map<string | null, TeamSettings>();
  let load = 0;
  for (const c of assigned) {
    if (!settings.has(c.teamId)) settings.set(c.teamId, await teamSettings(tx, accountId, c.teamId));
    load += weightOf(c.kind, settings.get(c.teamId)!.weights);
  }
  await tx
    .update(agentLoads)
    .set({ load })
    .where(and(eq(agentLoads.accountId, accountId), eq(agentLoads.userId, userId)));
  return { before: row?.load ?? 0, after: load };
}
