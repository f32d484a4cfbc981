import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accountId, createdAt, id, tenantPolicy, ts, updatedAt } from './columns';
import { users } from './accounts';
import { conversations, messages } from './conversations';

/** Teammates @mentioned in internal notes: the inbox's `mentions` view (docs/inbox.md#mentions). */
export const conversationMentions = pgTable(
  'conversation_mentions',
  {
    id: id(),
    accountId: accountId(),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id),
    messageId: uuid()
      .notNull()
      .references(() => messages.id),
    mentionedUserId: uuid()
      .notNull()
      .references(() => users.id),
    /** The note's author; null when automation or an API key wrote it. */
    byUserId: uuid(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('conversation_mentions_message_user_key').on(t.accountId, t.messageId, t.mentionedUserId),
    index('conversation_mentions_user_idx').on(t.accountId, t.mentionedUserId, t.conversationId, t.createdAt),
    tenantPolicy(),
  ],
);

/** Per person: up to when they read a conversation (unread = a customer message after it). */
export const conversationReads = pgTable(
  'conversation_reads',
  {
    accountId: accountId(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id),
    readAt: ts().notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.userId, t.conversationId] }), tenantPolicy()],
);

/** Saved inbox filters: personal (only the owner sees them) or shared with the account. */
export const savedViews = pgTable(
  'saved_views',
  {
    id: id(),
    accountId: accountId(),
    name: text().notNull(),
    filters: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    shared: boolean().notNull().default(false),
    /** Who created it; a personal view is visible to this person only. */
    ownerUserId: uuid().references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('saved_views_account_name_idx').on(t.accountId, t.name, t.id),
    check('saved_views_owner_check', sql`${t.shared} or ${t.ownerUserId} is not null`),
    tenantPolicy(),
  ],
);

export const NOTIFICATION_KINDS = ['mention', 'assignment'] as const;

/** A person's notifications (the bell): mentions and assignments, written by a listener from their events. */
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    accountId: accountId(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    kind: text().notNull(),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id),
    messageId: uuid(),
    actorKind: text().notNull(),
    actorId: uuid(),
    preview: text(),
    /** The event it was made from: a re-run listener inserts nothing (at-least-once delivery). */
    sourceEventId: uuid().notNull(),
    createdAt: createdAt(),
    readAt: ts(),
  },
  (t) => [
    uniqueIndex('notifications_source_key').on(t.accountId, t.sourceEventId, t.userId),
    index('notifications_user_idx').on(t.accountId, t.userId, t.id),
    index('notifications_unread_idx')
      .on(t.accountId, t.userId)
      .where(sql`read_at is null`),
    check('notifications_kind_check', sql.raw(`kind in ('mention','assignment')`)),
    tenantPolicy(),
  ],
);
