import type { PresenceState } from '@touchpoint/shared';
import { and, eq, isNull } from 'drizzle-orm';
import { agentPresence, agentPresenceHistory } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { ensureLoadRows } from '../engine/loads';
import { routingPolicy } from '../policy';

/**
 * Sets the caller's own state. The history is append-only: the open interval is closed and a new one starts,
 * so occupancy (time online/busy/away) is a sum over intervals.
 */
export async function setPresence(ctx: Ctx, state: PresenceState): Promise<{ userId: string; state: PresenceState; since: Date }> {
  return command(ctx, async (tx) => {
    authorize(ctx.actor, routingPolicy, 'set_own_presence', ctx.accountId);
    if (ctx.actor.kind !== 'user') throw new Error('unreachable: policy admits only users');
    const userId = ctx.actor.userId;
    const where = and(eq(agentPresence.accountId, ctx.accountId), eq(agentPresence.userId, userId));
    const [current] = await tx.select().from(agentPresence).where(where).for('update');
    if (current?.state === state) return { userId, state, since: current.since };
    const now = new Date();
    await tx
      .update(agentPresenceHistory)
      .set({ endedAt: now })
      .where(
        and(
          eq(agentPresenceHistory.accountId, ctx.accountId),
          eq(agentPresenceHistory.userId, userId),
          isNull(agentPresenceHistory.endedAt),
        ),
      );
    await tx.insert(agentPresenceHistory).values({ accountId: ctx.accountId, userId, state, startedAt: now });
    await tx
      .insert(agentPresence)
      .values({ accountId: ctx.accountId, userId, state, since: now })
      .onConflictDoUpdate({ target: [agentPresence.accountId, agentPresence.userId], set: { state, since: now } });
    await ensureLoadRows(tx, ctx.accountId, [userId]);
    await emit(tx, ctx, {
      type: 'agent.presence_changed',
      payload: { userId, state, previous: current?.state ?? 'offline', since: now.toISOString() },
    });
    return { userId, state, since: now };
  });
}
