import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { conversations, customers, messages, webchatReadMarkers, webchatVisitors } from '../../db/schema';

export type VisitorRow = typeof webchatVisitors.$inferSelect;

/** How much history the widget gets: the latest messages, enough for a chat window. */
export const HISTORY_LIMIT = 200;

const visibleKinds = ['incoming', 'outgoing'];
const columns = {
  id: messages.id,
  conversationId: messages.conversationId,
  kind: messages.kind,
  authorKind: messages.authorKind,
  body: messages.body,
  clientMessageId: messages.clientMessageId,
  createdAt: messages.createdAt,
  attachments: messages.attachments,
};

/** The visitor owning this token hash on this channel, or null (another channel's token is no token here). */
/**
 * The visitor of a token hash on a channel of the account, with the profile their customer was merged into (one
 * hop; survivorOf follows longer chains): one autocommit statement on every widget request, explicitly scoped by
 * account and channel (it runs before any tenant transaction, like the channel lookup).
 */
export async function findVisitorWithMerge(
  db: Db,
  accountId: string,
  channelId: string,
  tokenHash: string,
): Promise<{ row: VisitorRow; mergedIntoId: string | null } | null> {
  const [found] = await db
    .select({ row: webchatVisitors, mergedIntoId: customers.mergedIntoId })
    .from(webchatVisitors)
    .leftJoin(customers, and(eq(customers.accountId, webchatVisitors.accountId), eq(customers.id, webchatVisitors.customerId)))
    .where(
      and(eq(webchatVisitors.accountId, accountId), eq(webchatVisitors.tokenHash, tokenHash), eq(webchatVisitors.channelId, channelId)),
    );
  return found ?? null;
}

/**
 * The profile a visitor's customer was merged into, following a chain of merges (a few hops at most), or null when
 * it was not merged. After a merge the visitor must continue as the survivor, who now owns the history.
 */
export async function survivorOf(tx: Tx, accountId: string, customerId: string): Promise<string | null> {
  let current = customerId;
  for (let hops = 0; hops < 5; hops++) {
    const [row] = await tx
      .select({ mergedIntoId: customers.mergedIntoId })
      .from(customers)
      .where(and(eq(customers.accountId, accountId), eq(customers.id, current)));
    if (!row?.mergedIntoId) break;
    current = row.mergedIntoId;
  }
  return current === customerId ? null : current;
}

/** Messages (never notes) of the visitor's conversations on their channel, oldest first. */
export async function listVisitorMessages(tx: Tx, v: VisitorRow) {
  const rows = await tx
    .select(columns)
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(
      and(
        eq(messages.accountId, v.accountId),
        eq(conversations.accountId, v.accountId),
        eq(conversations.customerId, v.customerId),
        eq(conversations.channelId, v.channelId),
        inArray(messages.kind, visibleKinds),
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(HISTORY_LIMIT);
  return rows.reverse();
}

/** When an agent last read one of the visitor's conversations on their channel (the widget's "Seen"), or null. */
export async function findAgentReadAt(tx: Tx, v: VisitorRow): Promise<Date | null> {
  const [row] = await tx
    .select({ at: webchatReadMarkers.agentReadAt })
    .from(webchatReadMarkers)
    .innerJoin(
      conversations,
      and(eq(conversations.accountId, webchatReadMarkers.accountId), eq(conversations.id, webchatReadMarkers.conversationId)),
    )
    .where(
      and(
        eq(webchatReadMarkers.accountId, v.accountId),
        eq(conversations.customerId, v.customerId),
        eq(conversations.channelId, v.channelId),
      ),
    )
    .orderBy(desc(webchatReadMarkers.agentReadAt))
    .limit(1);
  return row?.at ?? null;
}

/** The channel a conversation of the account is on, or null. */
export async function conversationChannelId(tx: Tx, accountId: string, conversationId: string): Promise<string | null> {
  const [conv] = await tx
    .select({ channelId: conversations.channelId })
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), eq(conversations.id, conversationId)));
  return conv?.channelId ?? null;
}
