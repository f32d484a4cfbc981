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
