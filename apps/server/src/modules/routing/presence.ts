import type { PresenceSource, PresenceState } from '@touchpoint/shared';
import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { agentPresence, agentPresenceHistory } from '../../db/schema';
import type { Ctx } from '../../platform/context';
import { emit } from '../../platform/events';
import { ensureLoadRows } from './engine/loads';

/** States in which an agent is working (their conversations stay theirs whatever the team's offline setting). */
export const AVAILABLE_STATES: readonly PresenceState[] = ['online', 'busy'];

export interface PresenceChange {
  userId: string;
  state: PresenceState;
  previous: PresenceState;
  since: Date;
  source: PresenceSource;
  /** False when the agent already was in that state (nothing was written). */
  changed: boolean;
}

/** Writes the jobs a presence change calls for, in the changing transaction (returning conversations to the queue). */
export type PresenceScheduler = (tx: Tx, ctx: Ctx, change: PresenceChange) => Promise<void>;

/**
 * Moves an agent to `state` inside the caller's transaction, whoever asks (the agent, or the system after their
 * last socket closed): the history is append-only, so the open interval is closed and a new one starts, and
 * occupancy (time online/busy/away) is a sum over intervals. The caller authorizes.
 */
export async function changePresence(
  tx: Tx,
  ctx: Ctx,
  userId: string,
  state: PresenceState,
  source: PresenceSource,
  schedule?: PresenceScheduler,
): Promise<PresenceChange> {
  const where = and(eq(agentPresence.accountId, ctx.accountId), eq(agentPresence.userId, userId));
  const [current] = await tx.select().from(agentPresence).where(where).for('update');
  const previous = current?.state ?? 'offline';
  if (current?.state === state)
    return { userId, state, previous, since: current.since, source: (current.source ?? source) as PresenceSource, changed: false };
  const now = new Date();
  await tx
    .update(agentPresenceHistory)
    .set({ endedAt: now })
    .where(
      and(eq(agentPresenceHistory.accountId, ctx.accountId), eq(agentPresenceHistory.userId, userId), isNull(agentPresenceHistory.endedAt)),
    );
  await tx.insert(agentPresenceHistory).values({ accountId: ctx.accountId, userId, state, startedAt: now, source });
  await tx
    .insert(agentPresence)
    .values({ accountId: ctx.accountId, userId, state, since: now, source })
    .onConflictDoUpdate({ target: [agentPresence.accountId, agentPresence.userId], set: { state, since: now, source } });
  await ensureLoadRows(tx, ctx.accountId, [userId]);
  await emit(tx, ctx, {
    type: 'agent.presence_changed',
    payload: { userId, state, previous, since: now.toISOString() },
  });
  const change: PresenceChange = { userId, state, previous, since: now, source, changed: true };
  await schedule?.(tx, ctx, change);
  return change;
}

/** An agent's current state; undefined when they have none (offline). */
export async function stateOf(tx: Tx, accountId: string, userId: string): Promise<PresenceState | undefined> {
  const [row] = await tx
    .select({ state: agentPresence.state })
    .from(agentPresence)
    .where(and(eq(agentPresence.accountId, accountId), eq(agentPresence.userId, userId)));
  return row?.state;
}
