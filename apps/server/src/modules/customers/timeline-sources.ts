import type { TimelineItem } from '@touchpoint/shared';
import { and, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { calls, conversations, customerNotes, events, messages } from '../../db/schema';

export interface TimelineScope {
  accountId: string;
  customerId: string;
  /** Internal notes (on conversations, and about the customer) are for staff only. */
  includeNotes: boolean;
  /** Only items of this kind. */
  kind?: TimelineItem['kind'];
}

type Before = (at: SQL, id: SQL) => SQL;

/**
 * One kind of timeline item. `branch` selects (kind, at, id) of this customer's rows, newest first, cut by the
 * keyset and limited; `load` presents the rows of one page. A new kind (orders, surveys, calls) is one more
 * source here; anything recorded as an event with the customer's id already appears as an `event` item.
 */
export interface TimelineSource {
  kind: TimelineItem['kind'];
  branch(scope: TimelineScope, before: Before, limit: number): SQL;
  load(tx: Tx, scope: TimelineScope, ids: string[]): Promise<Map<string, TimelineItem>>;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Events whose subject is already an item of its own (the conversation, the message) would only repeat it. */
export const EVENTS_SHOWN_AS_ITEMS = [
  'conversation.created',
  'message.created',
  'call.started',
  'call.answered',
  'call.ended',
  'call.updated',
  'customer.note_added',
  // A deleted note leaves the timeline without a trace there (the events table keeps the audit record).
  'customer.note_deleted',
];

const conversationSource: TimelineSource = {
  kind: 'conversation',
  branch: ({ accountId, customerId }, before, limit) => sql`
    select 'conversation'::text as kind, c.created_at as at, c.id
    from ${conversations} c
    where c.account_id = ${accountId} and c.customer_id = ${customerId} and ${before(sql`c.created_at`, sql`c.id`)}
    order by c.created_at desc, c.id desc limit ${limit}`,
  async load(tx, { accountId }, ids) {
    const rows = await tx
      .select()
      .from(conversations)
      .where(and(eq(conversations.accountId, accountId), inArray(conversations.id, ids)));
    return new Map(
      rows.map((c) => [
        c.id,
        {
          kind: 'conversation',
          at: c.createdAt.toISOString(),
          id: c.id,
          number: c.number,
          status: c.status,
          priority: c.priority,
          subject: c.subject,
          channelId: c.channelId,
          assigneeId: c.assigneeId,
          teamId: c.teamId,
          tags: c.tags,
          messageCount: c.messageCount,
          lastMessagePreview: c.lastMessagePreview,
          lastActivityAt: c.lastActivityAt.toISOString(),
          resolvedAt: iso(c.resolvedAt),
          createdAt: c.createdAt.toISOString(),
        } satisfies TimelineItem,
      ]),
    );
  },
};

const messageSource: TimelineSource = {
  kind: 'message',
  branch: ({ accountId, customerId, includeNotes }, before, limit) => sql`
    select 'message'::text as kind, m.created_at as at, m.id
    from ${messages} m
    join ${conversations} c on c.account_id = m.account_id and c.id = m.conversation_id
    where c.account_id = ${accountId} and c.customer_id = ${customerId} and m.account_id = ${accountId}
      ${includeNotes ? sql`` : sql`and m.kind <> 'note'`}
      and ${before(sql`m.created_at`, sql`m.id`)}
    order by m.created_at desc, m.id desc limit ${limit}`,
  async load(tx, { accountId }, ids) {
    const { searchVector: _sv, ...columns } = getTableColumns(messages);
    const rows = await tx
      .select(columns)
      .from(messages)
      .where(and(eq(messages.accountId, accountId), inArray(messages.id, ids)));
    return new Map(
      rows.map((m) => [
        m.id,
        {
          kind: 'message',
          at: m.createdAt.toISOString(),
          id: m.id,
          conversationId: m.conversationId,
          channelId: m.channelId,
          messageKind: m.kind,
          authorKind: m.authorKind,
          authorUserId: m.authorUserId,
          authorCustomerId: m.authorCustomerId,
          body: m.body,
          contentType: m.contentType,
          attachments: m.attachments,
          createdAt: m.createdAt.toISOString(),
        } satisfies TimelineItem,
      ]),
    );
  },
};

const eventSource: TimelineSource = {
  kind: 'event',
  branch: ({ accountId, customerId }, before, limit) => sql`
    select 'event'::text as kind, e.created_at as at, e.id
    from ${events} e
    where e.account_id = ${accountId} and e.customer_id = ${customerId}
      and e.type not in (${sql.join(
        EVENTS_SHOWN_AS_ITEMS.map((t) => sql`${t}`),
        sql`, `,
      )})
      and ${before(sql`e.created_at`, sql`e.id`)}
    order by e.created_at desc, e.id desc limit ${limit}`,
  async load(tx, { accountId }, ids) {
    const rows = await tx
      .select()
      .from(events)
      .where(and(eq(events.accountId, accountId), inArray(events.id, ids)));
    return new Map(
      rows.map((e) => [
        e.id,
        {
          kind: 'event',
          at: e.createdAt.toISOString(),
          id: e.id,
          type: e.type,
          actorKind: e.actorKind,
          actorId: e.actorId,
          conversationId: e.conversationId,
          payload: e.payload,
          createdAt: e.createdAt.toISOString(),
        } satisfies TimelineItem,
      ]),
    );
  },
};

/** Phone calls (voice channel), at the time the call started; the full record is on the conversation. */
const callSource: TimelineSource = {
  kind: 'call',
  branch: ({ accountId, customerId }, before, limit) => sql`
    select 'call'::text as kind, k.started_at as at, k.id
    from ${calls} k
    where k.account_id = ${accountId} and k.customer_id = ${customerId} and ${before(sql`k.started_at`, sql`k.id`)}
    order by k.started_at desc, k.id desc limit ${limit}`,
  async load(tx, { accountId }, ids) {
    const rows = await tx
      .select()
      .from(calls)
      .where(and(eq(calls.accountId, accountId), inArray(calls.id, ids)));
    return new Map(
      rows.map((k) => [
        k.id,
        {
          kind: 'call',
          at: k.startedAt.toISOString(),
          id: k.id,
          conversationId: k.conversationId,
          channelId: k.channelId,
          direction: k.direction,
          status: k.status,
          from: k.fromNumber,
          to: k.toNumber,
          agentUserId: k.agentUserId,
          queue: k.queue,
          answeredAt: iso(k.answeredAt),
          endedAt: iso(k.endedAt),
          durationSeconds: k.durationSeconds,
        } satisfies TimelineItem,
      ]),
    );
  },
};

/** Internal notes about the customer (customer_notes); staff only, like notes on conversations. */
const noteSource: TimelineSource = {
  kind: 'note',
  branch: ({ accountId, customerId, includeNotes }, before, limit) =>
    includeNotes
      ? sql`
    select 'note'::text as kind, n.created_at as at, n.id
    from ${customerNotes} n
    where n.account_id = ${accountId} and n.customer_id = ${customerId} and ${before(sql`n.created_at`, sql`n.id`)}
    order by n.created_at desc, n.id desc limit ${limit}`
      : sql`select null::text as kind, null::timestamptz as at, null::uuid as id where false`,
  async load(tx, { accountId }, ids) {
    const rows = await tx
      .select()
      .from(customerNotes)
      .where(and(eq(customerNotes.accountId, accountId), inArray(customerNotes.id, ids)));
    return new Map(
      rows.map((n) => [
        n.id,
        {
          kind: 'note',
          at: n.createdAt.toISOString(),
          id: n.id,
          customerId: n.customerId,
          authorUserId: n.authorUserId,
          body: n.body,
          createdAt: n.createdAt.toISOString(),
        } satisfies TimelineItem,
      ]),
    );
  },
};

export const TIMELINE_SOURCES: readonly TimelineSource[] = [conversationSource, messageSource, eventSource, callSource, noteSource];
