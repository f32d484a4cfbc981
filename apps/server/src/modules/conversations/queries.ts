import type { ConversationStatus, CustomerSummary, ListConversationsQuery } from '@touchpoint/shared';
import { and, arrayContains, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { channels, conversations, customers, messages } from '../../db/schema';
import type { Ctx } from '../../platform/context';
import { invalid, notFound } from '../../platform/errors';
import { beforeKeyset, cursorText, encodeKeyset, parseKeyset } from './keyset';
import { messageColumns, type ConversationRow, type MessageRow } from './presenters';

export interface ConversationWithCustomer {
  conversation: ConversationRow;
  customer: CustomerSummary | null;
}

export const customerSummaryColumns = { id: customers.id, name: customers.name, email: customers.email, phone: customers.phone };
const joinCustomer = and(eq(customers.id, conversations.customerId), eq(customers.accountId, conversations.accountId));

/** Loads and row-locks a conversation for a command, so concurrent messages update its counters in turn. */
export async function lockConversation(tx: Tx, accountId: string, id: string): Promise<ConversationRow> {
  const [row] = await tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), eq(conversations.id, id)))
    .for('update');
  if (!row) throw notFound('Conversation');
  return row;
}

async function findOne(tx: Tx, accountId: string, where: SQL | undefined): Promise<ConversationWithCustomer | null> {
  const [row] = await tx
    .select({ conversation: conversations, customer: customerSummaryColumns })
    .from(conversations)
    .leftJoin(customers, joinCustomer)
    .where(and(eq(conversations.accountId, accountId), where));
  return row ?? null;
}

export async function getConversation(tx: Tx, accountId: string, id: string): Promise<ConversationWithCustomer> {
  const row = await findOne(tx, accountId, eq(conversations.id, id));
  if (!row) throw notFound('Conversation');
  return row;
}

export async function getConversationByNumber(tx: Tx, accountId: string, number: number): Promise<ConversationWithCustomer> {
  const row = await findOne(tx, accountId, eq(conversations.number, number));
  if (!row) throw notFound('Conversation');
  return row;
}

/** An active channel of the account, or null. */
export async function findChannel(tx: Tx, accountId: string, id: string): Promise<{ id: string } | null> {
  const [row] = await tx
    .select({ id: channels.id })
    .from(channels)
    .where(and(eq(channels.accountId, accountId), eq(channels.id, id), eq(channels.active, true)));
  return row ?? null;
}

/**
 * The inbox list, newest activity first, keyset-paginated on (lastActivityAt desc, id desc) so it rides the
 * composite indexes (account, [status | assignee | team,] last_activity_at desc, id desc). One query, the
 * customer summary joined in.
 */
export async function listConversations(tx: Tx, ctx: Ctx, q: ListConversationsQuery) {
  const filters: (SQL | undefined)[] = [eq(conversations.accountId, ctx.accountId)];
  if (q.status) filters.push(eq(conversations.status, q.status));
  if (q.assigneeId === 'none') filters.push(isNull(conversations.assigneeId));
  else if (q.assigneeId === 'me') {
    if (ctx.actor.kind !== 'user') throw invalid('assigneeId', "'me' needs a logged-in user; pass a user id");
    filters.push(eq(conversations.assigneeId, ctx.actor.userId));
  } else if (q.assigneeId) filters.push(eq(conversations.assigneeId, q.assigneeId));
  if (q.teamId) filters.push(eq(conversations.teamId, q.teamId));
  if (q.channelId) filters.push(eq(conversations.channelId, q.channelId));
  if (q.tag) filters.push(arrayContains(conversations.tags, [q.tag.trim().toLowerCase()]));
  if (q.priority) filters.push(eq(conversations.priority, q.priority));
  if (q.customerId) filters.push(eq(conversations.customerId, q.customerId));
  const after = parseKeyset(q.cursor);
  if (after) filters.push(beforeKeyset(conversations.lastActivityAt, conversations.id, after));

  const rows = await tx
    .select({ conversation: conversations, customer: customerSummaryColumns, cursorAt: cursorText(conversations.lastActivityAt) })
    .from(conversations)
    .leftJoin(customers, joinCustomer)
    .where(and(...filters))
    .orderBy(desc(conversations.lastActivityAt), desc(conversations.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ conversation, customer }) => ({ conversation, customer })),
    nextCursor: rows.length > q.limit && last ? encodeKeyset({ at: last.cursorAt, id: last.conversation.id }) : null,
  };
}

/**
 * One page of messages: pages walk from the newest message back in time (the cursor points at the oldest
 * message of the previous page), and each page is returned in chronological order, ready to render.
 */
export async function listMessages(tx: Tx, accountId: string, conversationId: string, page: { limit: number; cursor?: string }) {
  const after = parseKeyset(page.cursor);
  const rows = await tx
    .select({ message: messageColumns, cursorAt: cursorText(messages.createdAt) })
    .from(messages)
    .where(
      and(
        eq(messages.accountId, accountId),
        eq(messages.conversationId, conversationId),
        after ? beforeKeyset(messages.createdAt, messages.id, after) : undefined,
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(page.limit + 1);
  const newestFirst = rows.slice(0, page.limit);
  const oldest = newestFirst.at(-1);
  return {
    items: newestFirst.reverse().map((r): MessageRow => r.message),
    nextCursor: rows.length > page.limit && oldest ? encodeKeyset({ at: oldest.cursorAt, id: oldest.message.id }) : null,
  };
}

/** Conversation exists in the account (realtime topic checks). */
export async function conversationExists(tx: Tx, accountId: string, id: string): Promise<boolean> {
  const [row] = await tx
    .select({ one: sql<number>`1` })
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), eq(conversations.id, id)));
  return !!row;
}

/**
 * The customer's most recent conversation on a channel that is still in one of `statuses`: a new message or call
 * from them on that channel continues it instead of starting another (channel adapters).
 */
export async function latestConversationOn(
  tx: Tx,
  accountId: string,
  where: { customerId: string; channelId: string; statuses: ConversationStatus[] },
): Promise<string | null> {
  const [row] = await tx
    .select({ id: conversations.id })
    .from(conversations)
    .where(
      and(
        eq(conversations.accountId, accountId),
        eq(conversations.customerId, where.customerId),
        eq(conversations.channelId, where.channelId),
        inArray(conversations.status, where.statuses),
      ),
    )
    .orderBy(desc(conversations.lastActivityAt), desc(conversations.id))
    .limit(1);
  return row?.id ?? null;
}
