import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { agentConnections } from '../../db/schema';

/** The hub pings every 30 s; an open row not refreshed for three beats belongs to a node that is gone. */
export const STALE_AFTER_SECONDS = 90;

const staleBefore = sql.raw(`now() - interval '${STALE_AFTER_SECONDS} seconds'`);
const fresh = () => gt(agentConnections.seenAt, staleBefore);

/** The agent's first socket on this node opened: their row for this node is open again. */
export async function connectionOpened(tx: Tx, accountId: string, userId: string, nodeId: string): Promise<void> {
  const now = new Date();
  await tx
    .insert(agentConnections)
    .values({ accountId, userId, nodeId, openedAt: now, seenAt: now, closedAt: null })
    .onConflictDoUpdate({
      target: [agentConnections.accountId, agentConnections.userId, agentConnections.nodeId],
      set: { openedAt: now, seenAt: now, closedAt: null },
    });
}

/** The agent's last socket on this node closed; returns when (the disconnect job's reference time). */
export async function connectionClosed(tx: Tx, accountId: string, userId: string, nodeId: string): Promise<Date> {
  const now = new Date();
  await tx
    .update(agentConnections)
    .set({ closedAt: now, seenAt: now })
    .where(and(eq(agentConnections.accountId, accountId), eq(agentConnections.userId, userId), eq(agentConnections.nodeId, nodeId)));
  return now;
}

/**
 * Had the agent a socket on any node after `closedAt`: one open now (and its node alive), or one that opened or
 * closed later (that close scheduled its own job)?
 */
export async function connectedAfter(tx: Tx, accountId: string, userId: string, closedAt: Date): Promise<boolean> {
  const [row] = await tx
    .select({ nodeId: agentConnections.nodeId })
    .from(agentConnections)
    .where(
      and(
        eq(agentConnections.accountId, accountId),
        eq(agentConnections.userId, userId),
        or(
          and(isNull(agentConnections.closedAt), fresh()),
          gt(agentConnections.closedAt, closedAt),
          gt(agentConnections.openedAt, closedAt),
        ),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Heartbeat: this node's open rows are alive (one statement for every agent connected here, across accounts). */
export async function refreshNode(tx: Tx, nodeId: string): Promise<void> {
  await tx
    .update(agentConnections)
    .set({ seenAt: new Date() })
    .where(and(eq(agentConnections.nodeId, nodeId), isNull(agentConnections.closedAt)));
}

/**
 * Closes the open rows of nodes that stopped refreshing them (a crash, a kill, or a shutdown, which writes nothing):
 * their agents' sockets are gone. Returns them, closed at the last time they were seen, for the disconnect jobs.
 */
export async function closeStaleRows(tx: Tx): Promise<{ accountId: string; userId: string; closedAt: Date }[]> {
  return tx
    .update(agentConnections)
    .set({ closedAt: sql`${agentConnections.seenAt}` })
    .where(and(isNull(agentConnections.closedAt), lt(agentConnections.seenAt, staleBefore)))
    .returning({ accountId: agentConnections.accountId, userId: agentConnections.userId, closedAt: agentConnections.seenAt });
}
