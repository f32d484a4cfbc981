import { doublePrecision, index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { accountId, createdAt, id, tenantPolicy, ts } from './columns';

/**
 * Domain events: the transactional outbox and the audit trail in one table. Written only by `emit(tx, ...)`
 * inside commands; the dispatcher turns each undispatched row into one job per listener.
 */
export const events = pgTable(
  'events',
  {
    id: id(),
    accountId: accountId(),
    type: text().notNull(),
    actorKind: text().notNull(),
    actorId: uuid(),
    /** The event that caused this one (automation, listeners): lets rules skip what they caused. */
    causationId: uuid(),
    causationDepth: doublePrecision().notNull().default(0),
    conversationId: uuid(),
    customerId: uuid(),
    payload: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    dispatchedAt: ts(),
  },
  (t) => [
    index('events_undispatched_idx')
      .on(t.createdAt)
      .where(sql`dispatched_at is null`),
    index('events_customer_idx').on(t.accountId, t.customerId, t.createdAt),
    index('events_conversation_idx').on(t.accountId, t.conversationId, t.createdAt),
    index('events_type_idx').on(t.accountId, t.type, t.createdAt),
    tenantPolicy(),
  ],
);

/**
 * Append-only KPI facts (first_response, resolution, reopen, and later call_answered, abandoned, csat, nps...)
 * with raw timestamps, so every metric variant can be derived and dashboards never rescan messages.
 */
export const kpiFacts = pgTable(
  'kpi_facts',
  {
    id: id(),
    accountId: accountId(),
    kind: text().notNull(),
    /** The event the fact was derived from; (event_id, kind) makes the writer idempotent. */
    eventId: uuid().notNull(),
    conversationId: uuid(),
    customerId: uuid(),
    userId: uuid(),
    teamId: uuid(),
    channelId: uuid(),
    valueSeconds: doublePrecision(),
    startedAt: ts(),
    endedAt: ts(),
    occurredAt: ts().notNull(),
    attributes: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('kpi_facts_event_kind_key').on(t.eventId, t.kind),
    index('kpi_facts_account_kind_idx').on(t.accountId, t.kind, t.occurredAt),
    tenantPolicy(),
  ],
);
