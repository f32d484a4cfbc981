import { index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { channels } from './channels';
import { accountId, createdAt, id, tenantPolicy } from './columns';
import { messages } from './conversations';

/**
 * Delivery receipts (status events) received from messaging providers. Inbound messages dedupe on
 * messages.external_id; receipts create no message, so their event ids are kept here: the unique key makes a
 * redelivered receipt a no-op even when two copies arrive at once, and the rows are the message's receipt history.
 */
export const messagingReceipts = pgTable(
  'messaging_receipts',
  {
    id: id(),
    accountId: accountId(),
    channelId: uuid()
      .notNull()
      .references(() => channels.id),
    /** The provider's event id. */
    eventId: text().notNull(),
    messageId: uuid()
      .notNull()
      .references(() => messages.id),
    status: text().notNull(),
    error: text(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('messaging_receipts_event_key').on(t.accountId, t.channelId, t.eventId),
    index('messaging_receipts_message_idx').on(t.accountId, t.messageId, t.createdAt),
    tenantPolicy(),
  ],
);
