import type { ConversationStatus, RelatedConversation } from '@touchpoint/shared';
import { and, desc, eq, gte, inArray, ne, or, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { channels, conversations, customers } from '../../db/schema';

export const RELATED_DAYS = 30;
export const RELATED_LIMIT = 10;
const PREVIEW_LENGTH = 140;

/**
 * The customer's other conversations on every channel, active in the last 30 days, most recent first, at most 10.
 * Computed at read time rather than stored as links, so it is right after a merge: the customer's survivor and
 * every profile merged into it count as one person.
 */
export async function listRelatedConversations(
  tx: Tx,
  accountId: string,
  conversation: { id: string; customerId: string },
  now = new Date(),
): Promise<RelatedConversation[]> {
  const [profile] = await tx
    .select({ id: customers.id, mergedIntoId: customers.mergedIntoId })
    .from(customers)
    .where(and(eq(customers.accountId, accountId), eq(customers.id, conversation.customerId)));
  if (!profile) return [];
  // Merges keep redirects one hop deep, so the survivor and the profiles pointing at it are the whole person.
  const survivor = profile.mergedIntoId ?? profile.id;
  const person = tx
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.accountId, accountId), or(eq(customers.id, survivor), eq(customers.mergedIntoId, survivor))));
  const since = new Date(now.getTime() - RELATED_DAYS * 86_400_000);
  const lastMessageAt = sql<Date>`coalesce(greatest(${conversations.lastCustomerMessageAt}, ${conversations.lastAgentReplyAt}), ${conversations.createdAt})`;
  const rows = await tx
    .select({
      c: {
        id: conversations.id,
        number: conversations.number,
        status: conversations.status,
        subject: conversations.subject,
        lastActivityAt: conversations.lastActivityAt,
        lastMessagePreview: conversations.lastMessagePreview,
        createdAt: conversations.createdAt,
      },
      lastMessageAt: sql<string>`to_char(${lastMessageAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
      channel: { id: channels.id, kind: channels.kind, name: channels.name },
    })
    .from(conversations)
    .innerJoin(channels, and(eq(channels.accountId, conversations.accountId), eq(channels.id, conversations.channelId)))
    .where(
      and(
        eq(conversations.accountId, accountId),
        inArray(conversations.customerId, person),
        ne(conversations.id, conversation.id),
        gte(conversations.lastActivityAt, since),
      ),
    )
    .orderBy(desc(conversations.lastActivityAt), desc(conversations.id))
    .limit(RELATED_LIMIT);
  return rows.map(({ c, lastMessageAt, channel }) => ({
    id: c.id,
    number: c.number,
    status: c.status as ConversationStatus,
    subject: c.subject,
    channel,
    lastMessageAt,
    lastActivityAt: c.lastActivityAt.toISOString(),
    lastMessagePreview: c.lastMessagePreview === null ? null : c.lastMessagePreview.slice(0, PREVIEW_LENGTH),
    createdAt: c.createdAt.toISOString(),
  }));
}
