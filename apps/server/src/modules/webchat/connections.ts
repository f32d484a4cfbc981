import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Tx } from '../../db/client';
import { webchatConnections } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import { systemCtx } from '../../platform/context';
import type { AppDeps } from '../../platform/module';
import type { SocketObserver, SocketSubject } from '../../platform/realtime';
import { command } from '../../platform/tx';

/** The hub pings every 30 s; an open row not refreshed for three beats belongs to a node that is gone. */
const staleBefore = sql.raw(`now() - interval '90 seconds'`);

type Visitor = { accountId: string; customerId: string; channelId: string };

const rowOf = (v: Visitor) =>
  and(
    eq(webchatConnections.accountId, v.accountId),
    eq(webchatConnections.customerId, v.customerId),
    eq(webchatConnections.channelId, v.channelId),
  );

/**
 * Records visitors' widget sockets per node as they open and close, and keeps this node's open rows fresh, so any
 * node can tell whether a visitor's widget is connected and since when it is not (the offline email fallback).
 */
export function visitorSocketObserver(deps: Pick<AppDeps, 'database' | 'events' | 'hub'>, log: FastifyBaseLogger): SocketObserver {
  const write = (s: SocketSubject, what: string, fn: (tx: Tx, v: Visitor, now: Date) => Promise<unknown>) => {
    if (s.kind !== 'visitor') return Promise.resolve();
    const ctx = systemCtx({ db: deps.database.db, events: deps.events }, s.accountId, 'webchat.socket');
    return command(ctx, (tx) => fn(tx, s, new Date()))
      .then(() => undefined)
      .catch((err: unknown) => {
        log.warn({ err }, `webchat: could not record a visitor socket ${what}`);
        throw err;
      });
  };
  const nodeId = deps.hub.nodeId;
  return {
    opened: (s) =>
      write(s, 'opening', (tx, v, now) =>
        tx
          .insert(webchatConnections)
          .values({ ...v, nodeId, openedAt: now, seenAt: now, closedAt: null })
          .onConflictDoUpdate({
            target: [webchatConnections.accountId, webchatConnections.customerId, webchatConnections.channelId, webchatConnections.nodeId],
            set: { openedAt: now, seenAt: now, closedAt: null },
          }),
      ),
    closed: (s) =>
      write(s, 'closing', (tx, v, now) =>
        tx
          .update(webchatConnections)
          .set({ closedAt: now, seenAt: now })
          .where(and(rowOf(v), eq(webchatConnections.nodeId, nodeId))),
      ),
    alive: async (subjects) => {
      if (!subjects.some((s) => s.kind === 'visitor')) return;
      await withSystem(deps.database.db, (tx) =>
        tx
          .update(webchatConnections)
          .set({ seenAt: new Date() })
          .where(and(eq(webchatConnections.nodeId, nodeId), isNull(webchatConnections.closedAt))),
      ).catch((err: unknown) => {
        log.warn({ err }, 'webchat: could not refresh the visitor sockets of this node');
        throw err;
      });
    },
  };
}

export interface WidgetConnection {
  /** A widget socket is open on a live node now. */
  connected: boolean;
  /** When a socket was last known open (its close, or its node's last heartbeat); null if it never was. */
  lastSeenAt: Date | null;
}

/** Whether the visitor's widget is connected on any node, and when it last was. */
export async function widgetConnection(tx: Tx, v: Visitor): Promise<WidgetConnection> {
  const [row] = await tx
    .select({
      connected: sql<boolean>`coalesce(bool_or(${webchatConnections.closedAt} is null and ${webchatConnections.seenAt} > ${staleBefore}), false)`,
      lastSeenAt: sql<Date | null>`max(coalesce(${webchatConnections.closedAt}, ${webchatConnections.seenAt}))`,
    })
    .from(webchatConnections)
    .where(rowOf(v));
  const last = row?.lastSeenAt;
  return { connected: row?.connected ?? false, lastSeenAt: last ? new Date(last) : null };
}

/** Was the visitor's widget connected at some moment after `at` (open now, or opened or closed since)? */
export async function widgetConnectedAfter(tx: Tx, v: Visitor, at: Date): Promise<boolean> {
  const [row] = await tx
    .select({ nodeId: webchatConnections.nodeId })
    .from(webchatConnections)
    .where(
      and(
        rowOf(v),
        or(
          and(isNull(webchatConnections.closedAt), gt(webchatConnections.seenAt, staleBefore)),
          gt(webchatConnections.closedAt, at),
          gt(webchatConnections.openedAt, at),
        ),
      ),
    )
    .limit(1);
  return row !== undefined;
}
