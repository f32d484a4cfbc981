import { and, desc, eq, getTableColumns, or } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { channels, conversations, customerIdentities, customers, messages } from '../../db/schema';
import type { MessageRow } from '../conversations';

const { searchVector: _searchVector, ...messageColumns } = getTableColumns(messages);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An outgoing message of this channel named by a receipt: our id, or the provider's id we stored. Row-locked. */
export async function lockOutgoingMessage(tx: Tx, accountId: string, channelId: string, ref: string): Promise<MessageRow | null> {
  const named = UUID.test(ref) ? or(eq(messages.id, ref), eq(messages.externalId, ref)) : eq(messages.externalId, ref);
  const [row] = await tx
    .select(messageColumns)
    .from(messages)
    .where(and(eq(messages.accountId, accountId), eq(messages.channelId, channelId), eq(messages.kind, 'outgoing'), named))
    .limit(1)
    .for('update');
  return row ?? null;
}

/** Everything a delivery needs: the message, its channel, and the customer's addresses (on it, for messaging). */
export type DeliveryTarget = NonNullable<Awaited<ReturnType<typeof loadDelivery>>>;

/** Everything a delivery needs: the message, its channel and where the customer is reached on it. */
export async function loadDelivery(tx: Tx, accountId: string, messageId: string) {
  const [row] = await tx
    .select({
      message: messageColumns,
      channel: { id: channels.id, kind: channels.kind, active: channels.active, config: channels.config, secret: channels.webhookSecret },
      customerId: conversations.customerId,
      conversationNumber: conversations.number,
      phone: customers.phone,
      // For api channels, whose integrations know the customer by these rather than by a chat handle.
      email: customers.email,
      externalId: customers.externalId,
    })
    .from(messages)
    .innerJoin(channels, and(eq(channels.accountId, messages.accountId), eq(channels.id, messages.channelId)))
    .innerJoin(conversations, and(eq(conversations.accountId, messages.accountId), eq(conversations.id, messages.conversationId)))
    .innerJoin(customers, and(eq(customers.accountId, conversations.accountId), eq(customers.id, conversations.customerId)))
    .where(and(eq(messages.accountId, accountId), eq(messages.id, messageId)));
  if (!row) return null;
  const [handle] = await tx
    .select({ value: customerIdentities.value })
    .from(customerIdentities)
    .where(
      and(
        eq(customerIdentities.accountId, accountId),
        eq(customerIdentities.customerId, row.customerId),
        eq(customerIdentities.kind, 'channel_handle'),
        eq(customerIdentities.channelId, row.channel.id),
      ),
    )
    .orderBy(desc(customerIdentities.createdAt))
    .limit(1);
  return { ...row, handle: handle?.value ?? null };
}
