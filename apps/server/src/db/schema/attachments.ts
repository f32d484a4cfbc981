import { sql } from 'drizzle-orm';
import { boolean, check, customType, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { accountId, createdAt, id, tenantPolicy } from './columns';
import { conversations, messages } from './conversations';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * Files sent with messages (widget uploads, agent uploads, email attachments). The bytes live in the database
 * next to the message, so a backup of the database is a backup of everything and no second store has to be run;
 * PostgreSQL keeps large values out of line (TOAST), so listing metadata never reads them. Size and type limits
 * are enforced before a row is written (modules/attachments/limits.ts).
 *
 * An upload is written first with no message (so a slow upload does not hold a conversation lock), then claimed by
 * the message that sends it: `message_id` is set once and never moves.
 */
export const attachments = pgTable(
  'attachments',
  {
    id: id(),
    accountId: accountId(),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id),
    messageId: uuid().references(() => messages.id),
    /** customer (widget visitor, inbound mail), agent (a user), or system (API keys, automation). */
    uploaderKind: text().notNull(),
    uploaderUserId: uuid(),
    uploaderCustomerId: uuid(),
    filename: text().notNull(),
    contentType: text().notNull(),
    size: integer().notNull(),
    sha256: text().notNull(),
    /** Shown in the body (an email's `cid:` image) rather than listed as a file. */
    inline: boolean().notNull().default(false),
    content: bytea().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('attachments_conversation_idx').on(t.accountId, t.conversationId, t.createdAt),
    index('attachments_message_idx').on(t.accountId, t.messageId),
    check('attachments_uploader_kind_check', sql.raw(`uploader_kind in ('customer','agent','system')`)),
    check('attachments_size_check', sql.raw('size >= 0')),
    tenantPolicy(),
  ],
);
