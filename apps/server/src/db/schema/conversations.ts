import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accountId, createdAt, id, tenantPolicy, ts, tsvector, updatedAt } from './columns';
import { channels } from './channels';
import { customers } from './customers';
import { teams, users } from './accounts';

export const CONVERSATION_STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

export const conversations = pgTable(
  'conversations',
  {
    id: id(),
    accountId: accountId(),
    number: integer().notNull(),
    customerId: uuid()
      .notNull()
      .references(() => customers.id),
    /** The channel of the latest inbound message; a conversation can move between channels. */
    channelId: uuid()
      .notNull()
      .references(() => channels.id),
    subject: text(),
    status: text().$type<(typeof CONVERSATION_STATUSES)[number]>().notNull().default('open'),
    priority: text().$type<(typeof PRIORITIES)[number]>().notNull().default('normal'),
    assigneeId: uuid().references(() => users.id),
    teamId: uuid().references(() => teams.id),
    tags: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    snoozedUntil: ts(),
    language: text(),
    customAttributes: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    messageCount: integer().notNull().default(0),
    lastMessagePreview: text(),
    lastActivityAt: ts().notNull().defaultNow(),
    /** Raw timestamps kept for KPIs: every variant (business hours, thresholds) is derived from them. */
    lastCustomerMessageAt: ts(),
    lastAgentReplyAt: ts(),
    /** When the customer started waiting for a reply; null while nobody is waiting. */
    waitingSince: ts(),
    firstResponseAt: ts(),
    resolvedAt: ts(),
    reopenedAt: ts(),
    reopenCount: integer().notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('conversations_account_number_key').on(t.accountId, t.number),
    // ORDER BY x DESC means NULLS FIRST in PostgreSQL; an index built DESC NULLS LAST cannot serve that order, so
    // every inbox page would sort (and hash-join all customers). Measured 8.8 ms -> 0.5 ms per page at 10k rows.
    index('conversations_inbox_idx').on(t.accountId, t.status, t.lastActivityAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('conversations_assignee_idx').on(
      t.accountId,
      t.assigneeId,
      t.status,
      t.lastActivityAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index('conversations_team_idx').on(t.accountId, t.teamId, t.status, t.lastActivityAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('conversations_customer_idx').on(t.accountId, t.customerId, t.createdAt),
    index('conversations_activity_idx').on(t.accountId, t.lastActivityAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // The inbox's `waiting` order: customers waiting longest first (docs/inbox.md#waiting).
    index('conversations_waiting_idx')
      .on(t.accountId, t.waitingSince, t.id)
      .where(sql`waiting_since is not null`),
    index('conversations_snoozed_idx')
      .on(t.snoozedUntil)
      .where(sql`status = 'snoozed'`),
    index('conversations_tags_idx').using('gin', t.tags),
    check('conversations_status_check', sql.raw(`status in ('open','pending','snoozed','resolved')`)),
    check('conversations_priority_check', sql.raw(`priority in ('low','normal','high','urgent')`)),
    tenantPolicy(),
  ],
);

export const MESSAGE_KINDS = ['incoming', 'outgoing', 'note'] as const;
export const AUTHOR_KINDS = ['customer', 'agent', 'bot', 'system'] as const;

export const messages = pgTable(
  'messages',
  {
    id: id(),
    accountId: accountId(),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id),
    channelId: uuid()
      .notNull()
      .references(() => channels.id),
    /** incoming (from the customer), outgoing (to the customer), note (internal, never shown to the customer). */
    kind: text().notNull(),
    authorKind: text().notNull(),
    authorUserId: uuid().references(() => users.id),
    authorCustomerId: uuid().references(() => customers.id),
    body: text().notNull(),
    contentType: text().notNull().default('text'),
    attachments: jsonb().$type<unknown[]>().notNull().default([]),
    /** The provider's id (email Message-ID, SMS sid): dedupes redelivered webhooks and mail. */
    externalId: text(),
    /** Idempotency key chosen by the client (widget, API) so a retried send is stored once. */
    clientMessageId: text(),
    deliveryStatus: text(),
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    searchVector: tsvector().generatedAlwaysAs(sql`to_tsvector('simple', body)`),
  },
  (t) => [
    index('messages_conversation_idx').on(t.accountId, t.conversationId, t.createdAt, t.id),
    uniqueIndex('messages_client_id_key')
      .on(t.accountId, t.conversationId, t.clientMessageId)
      .where(sql`client_message_id is not null`),
    // Unique: a provider's message id is stored once per channel, which makes redelivered webhooks race-safe no-ops.
    uniqueIndex('messages_external_id_key')
      .on(t.accountId, t.channelId, t.externalId)
      .where(sql`external_id is not null`),
    index('messages_search_idx').using('gin', t.searchVector),
    check('messages_kind_check', sql.raw(`kind in ('incoming','outgoing','note')`)),
    check('messages_author_kind_check', sql.raw(`author_kind in ('customer','agent','bot','system')`)),
    tenantPolicy(),
  ],
);
