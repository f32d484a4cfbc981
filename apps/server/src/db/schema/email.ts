import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accountId, createdAt, id, tenantPolicy, ts, updatedAt } from './columns';
import { channels } from './channels';
import { conversations, messages } from './conversations';

/**
 * The reply token of a conversation: our replies carry `Reply-To: <local>+<token>@<domain>`, so a customer's answer
 * threads back even when their mail client drops In-Reply-To/References.
 */
export const emailThreads = pgTable(
  'email_threads',
  {
    id: id(),
    accountId: accountId(),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id),
    token: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('email_threads_conversation_key').on(t.accountId, t.conversationId),
    // The recipient address names the channel, so the account; the token then names one conversation in it.
    uniqueIndex('email_threads_account_token_key').on(t.accountId, t.token),
    tenantPolicy(),
  ],
);

/**
 * Bounces and auto-replies that reached the intake. They are kept here instead of as customer messages, so no
 * listener (routing, SLA, automation, outbound email) ever reacts to them: no auto-reply loop.
 */
export const emailAutomatedMessages = pgTable(
  'email_automated_messages',
  {
    id: id(),
    accountId: accountId(),
    channelId: uuid()
      .notNull()
      .references(() => channels.id),
    /** The mail's Message-ID (or a hash of its bytes when it has none): a redelivery is stored once. */
    messageIdHeader: text().notNull(),
    kind: text().notNull(),
    /** Which signal classified it (e.g. "Auto-Submitted: auto-replied", "multipart/report"). */
    reason: text().notNull(),
    fromAddress: text(),
    subject: text(),
    /** The conversation it refers to, when it threads into one. */
    conversationId: uuid().references(() => conversations.id),
    /** For a bounce of one of our replies: that message (now marked failed). */
    bouncedMessageId: uuid().references(() => messages.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('email_automated_messages_message_id_key').on(t.accountId, t.channelId, t.messageIdHeader),
    index('email_automated_messages_created_idx').on(t.accountId, t.createdAt),
    check('email_automated_messages_kind_check', sql.raw(`kind in ('bounce','auto_reply')`)),
    tenantPolicy(),
  ],
);

/** Development outbox: outgoing mail when no SMTP relay is configured (GET /api/v1/email/outbox). */
export const emailOutbox = pgTable(
  'email_outbox',
  {
    id: id(),
    accountId: accountId(),
    messageId: uuid()
      .notNull()
      .references(() => messages.id),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id),
    channelId: uuid()
      .notNull()
      .references(() => channels.id),
    fromAddress: text().notNull(),
    toAddress: text().notNull(),
    subject: text().notNull(),
    messageIdHeader: text().notNull(),
    raw: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // One copy per message, so a delivery job that runs twice writes it once.
    uniqueIndex('email_outbox_message_key').on(t.accountId, t.messageId),
    index('email_outbox_created_idx').on(t.accountId, t.createdAt.desc(), t.id.desc()),
    tenantPolicy(),
  ],
);

/**
 * Where polling an email channel's IMAP mailbox stands: the mailbox's UIDVALIDITY and the highest UID handled (so
 * nothing is fetched twice or skipped), messages to retry, the last poll's outcome for admins, and a lease so one
 * node polls a mailbox at a time.
 */
export const emailImapStates = pgTable(
  'email_imap_states',
  {
    id: id(),
    accountId: accountId(),
    channelId: uuid()
      .notNull()
      .references(() => channels.id),
    /** The mailbox's UIDVALIDITY when lastUid was recorded (a 32-bit number; text because imapflow gives a bigint). */
    uidValidity: text(),
    lastUid: bigint({ mode: 'number' }),
    /** `[{ uid, error, attempts, gaveUp, at }]`: messages that could not be stored, or marked/moved after storing. */
    failures: jsonb().notNull().default([]),
    lastPollAt: ts(),
    lastSuccessAt: ts(),
    lastError: text(),
    lastFetched: integer(),
    /** A poll holds the mailbox until then (it clears it when done; a crashed node's lease simply runs out). */
    leaseUntil: ts(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('email_imap_states_channel_key').on(t.accountId, t.channelId), tenantPolicy()],
);
