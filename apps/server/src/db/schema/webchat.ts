import { index, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accountId, createdAt, id, tenantPolicy, ts } from './columns';

/**
 * Anonymous web chat visitors: one row per browser that opened the widget. The visitor's token is a 256-bit
 * random value the widget keeps in its localStorage; only its SHA-256 is stored (like sessions and API keys), so
 * a leaked database cannot be used to read visitors' chats. A token is valid for its channel only.
 */
export const webchatVisitors = pgTable(
  'webchat_visitors',
  {
    id: id(),
    accountId: accountId(),
    channelId: uuid().notNull(),
    customerId: uuid().notNull(),
    tokenHash: text().notNull(),
    createdAt: createdAt(),
    lastSeenAt: ts(),
  },
  (t) => [
    uniqueIndex('webchat_visitors_token_key').on(t.accountId, t.tokenHash),
    index('webchat_visitors_customer_idx').on(t.accountId, t.customerId),
    tenantPolicy(),
  ],
);

/**
 * A visitor's widget sockets on a channel, one row per server node that has (or had) one: written when the first
 * socket on that node opens and when its last one closes, refreshed by the node's heartbeat while open. It answers
 * "is the widget connected, and since when is it not" on any node (the offline email fallback).
 */
export const webchatConnections = pgTable(
  'webchat_connections',
  {
    accountId: accountId(),
    customerId: uuid().notNull(),
    channelId: uuid().notNull(),
    nodeId: text().notNull(),
    openedAt: ts().notNull(),
    seenAt: ts().notNull(),
    closedAt: ts(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.customerId, t.channelId, t.nodeId] }),
    index('webchat_connections_node_idx').on(t.nodeId),
    tenantPolicy(),
  ],
);

/**
 * When an agent last read a web conversation (opening it in the workspace), for the visitor's "Seen". One row per
 * conversation, moved forward only when there was something new to read, so reopening a read thread writes nothing.
 */
export const webchatReadMarkers = pgTable(
  'webchat_read_markers',
  {
    accountId: accountId(),
    conversationId: uuid().notNull(),
    agentReadAt: ts().notNull(),
    agentUserId: uuid(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.conversationId] }), tenantPolicy()],
);
