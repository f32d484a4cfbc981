import type { CallHold, CallTransfer } from '@touchpoint/shared';
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { channels } from './channels';
import { accountId, createdAt, id, tenantPolicy, ts, updatedAt } from './columns';
import { conversations } from './conversations';
import { customers } from './customers';

/**
 * One phone call, projected from its provider events (call_events). Every raw timestamp is kept so service
 * level, speed of answer, abandonment and handle time can be derived with any variant (docs/channels.md#voice).
 */
export const calls = pgTable(
  'calls',
  {
    id: id(),
    accountId: accountId(),
    channelId: uuid()
      .notNull()
      .references(() => channels.id),
    providerCallId: text().notNull(),
    /** Null until the caller's number is known and the call is attached (a job, after the first event). */
    conversationId: uuid().references(() => conversations.id),
    customerId: uuid().references(() => customers.id),
    direction: text().notNull().default('inbound'),
    status: text().notNull(),
    /** E.164 when the number parses, as sent otherwise ("anonymous"). */
    fromNumber: text(),
    toNumber: text(),
    /** The last agent handling the call (after transfers), when their email is a member of the account. */
    agentUserId: uuid().references(() => users.id),
    agentEmail: text(),
    agentExternalId: text(),
    queue: text(),
    /** The earliest event time of the call: the key of timelines and interval scans. */
    startedAt: ts().notNull(),
    queuedAt: ts(),
    ringingAt: ts(),
    answeredAt: ts(),
    endedAt: ts(),
    abandonedAt: ts(),
    wrapupEndedAt: ts(),
    holds: jsonb().$type<CallHold[]>().notNull().default([]),
    transfers: jsonb().$type<CallTransfer[]>().notNull().default([]),
    recordingUrl: text(),
    voicemailUrl: text(),
    durationSeconds: integer(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('calls_provider_call_key').on(t.accountId, t.channelId, t.providerCallId),
    index('calls_conversation_idx').on(t.accountId, t.conversationId, t.startedAt),
    index('calls_customer_idx').on(t.accountId, t.customerId, t.startedAt, t.id),
    index('calls_started_idx').on(t.accountId, t.startedAt),
    check('calls_direction_check', sql.raw(`direction in ('inbound','outbound')`)),
    check('calls_status_check', sql.raw(`status in ('queued','ringing','answered','on_hold','ended','missed','abandoned')`)),
    tenantPolicy(),
  ],
);

/**
 * The provider's events as received, append-only. The unique provider event id per channel makes a redelivery a
 * no-op (even two at once: the second insert waits on the first and then conflicts).
 */
export const callEvents = pgTable(
  'call_events',
  {
    id: id(),
    accountId: accountId(),
    channelId: uuid()
      .notNull()
      .references(() => channels.id),
    callId: uuid()
      .notNull()
      .references(() => calls.id),
    providerEventId: text().notNull(),
    type: text().notNull(),
    occurredAt: ts().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    receivedAt: createdAt(),
  },
  (t) => [
    uniqueIndex('call_events_provider_event_key').on(t.accountId, t.channelId, t.providerEventId),
    index('call_events_call_idx').on(t.accountId, t.callId, t.occurredAt),
    tenantPolicy(),
  ],
);
