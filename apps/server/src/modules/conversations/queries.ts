import type { ConversationStatus, CustomerSummary } from '@touchpoint/shared';
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { channels, conversations, customers, messages } from '../../db/schema';
import { notFound } from '../../platform/errors';
import { messageColumns, type ConversationRow, type MessageRow } from './presenters';

export interface ConversationWithCustomer {
  conversation: ConversationRow;
  customer: CustomerSummary | null;
}

export const customerSummaryColumns = { id: customers.id, name: customers.name, email: customers.email, phone: customers.phone };
const joinCustomer = and(eq(customers.id, conversations.customerId), eq(customers.accountId, conversations.accountId));

/** Loads and row-locks a conversation for a command, so concurrent messages update its counters in turn. */
/**
 * lockConversation, and in the same statement the id of the conversation's message with this clientMessageId, if
 * one was stored already (a retried send): one round trip instead of two on every agent or API message.
 */
export async function lockConversationForMessage(
  tx: Tx,
  accountId: string,
  id: string,
  clientMessageId: string | undefined,
): Promise<{ conv: ConversationRow; existingId: string | null }> {
  if (!clientMessageId) return { conv: await lockConversation(tx, accountId, id), existingId: null };
  const [row] = await tx
    .select({
      conv: conversations,
      existingId: sql<
        string | null
      >`(select m.id from messages m where m.account_id = ${accountId} and m.conversation_id = ${id} and m.client_message_id = ${clientMessageId} limit 1)`,
    })
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), eq(conversations.id, id)))
    // SKIP LOCKED: the subquery's snapshot predates any wait for the lock, so after waiting it could miss the
    // message the lock holder just stored. A locked row takes the two-statement path instead.
    .for('update', { skipLocked: true });
  if (row) return row;
  const conv = await lockConversation(tx, accountId, id);
  const [existing] = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.accountId, accountId), eq(messages.conversationId, id), eq(messages.clientMessageId, clientMessageId)));
  return { conv, existingId: existing?.id ?? null };
}

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
    .where(onChannelIn(accountId, where))
    .orderBy(desc(conversations.lastActivityAt), desc(conversations.id))
    .limit(1);
  return row?.id ?? null;
}

/** The customer's conversations on a channel in these statuses. */
function onChannelIn(accountId: string, where: { customerId: string; channelId: string; statuses: ConversationStatus[] }) {
  return and(
    eq(conversations.accountId, accountId),
    eq(conversations.customerId, where.customerId),
    eq(conversations.channelId, where.channelId),
    inArray(conversations.status, where.statuses),
  );
}

/**
 * Serialises a customer's intake on one channel until the transaction ends: two first messages (two SMS, two tabs,
 * two calls) cannot both find no conversation in progress and start one each, and a redelivered message waits for
 * the first copy to commit, so the lookups that follow see it.
 */
export async function lockCustomerChannel(tx: Tx, accountId: string, customerId: string, channelId: string): Promise<void> {
  const key = `conversation-start|${accountId}|${customerId}|${channelId}`;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

/** Like latestConversationOn, but the whole row, row-locked for the message about to be appended. */
export async function lockLatestConversationOn(
  tx: Tx,
  accountId: string,
  where: { customerId: string; channelId: string; statuses: ConversationStatus[] },
): Promise<ConversationRow | null> {
  const [row] = await tx
    .select()
    .from(conversations)
    .where(onChannelIn(accountId, where))
    .orderBy(desc(conversations.lastActivityAt), desc(conversations.id))
    .limit(1)
    .for('update');
  return row ?? null;
}

/** A conversation of the account, row-locked, or null. */
export async function findConversationForUpdate(tx: Tx, accountId: string, id: string): Promise<ConversationRow | null> {
  const [row] = await tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), eq(conversations.id, id)))
    .for('update');
  return row ?? null;
}

/** The message a provider's id was stored with on this channel (messages_external_id_key), or null. */
export async function findMessageByExternalId(
  tx: Tx,
  accountId: string,
  channelId: string,
  externalId: string,
): Promise<MessageRow | null> {
  const [row] = await tx
    .select(messageColumns)
    .from(messages)
    .where(and(eq(messages.accountId, accountId), eq(messages.channelId, channelId), eq(messages.externalId, externalId)));
  return row ?? null;
}

/** The customer's message with this clientMessageId in any of their conversations on the channel, or null. */
export async function findCustomerMessageByClientId(
  tx: Tx,
  accountId: string,
  where: { customerId: string; channelId: string; clientMessageId: string },
): Promise<MessageRow | null> {
  const [row] = await tx
    .select(messageColumns)
    .from(messages)
    .innerJoin(conversations, and(eq(conversations.accountId, messages.accountId), eq(conversations.id, messages.conversationId)))
    .where(
      and(
        eq(messages.accountId, accountId),
        eq(messages.clientMessageId, where.clientMessageId),
        eq(messages.kind, 'incoming'),
        eq(conversations.customerId, where.customerId),
        eq(conversations.channelId, where.channelId),
      ),
    )
    .orderBy(asc(messages.createdAt))
    .limit(1);
  return row ?? null;
}
