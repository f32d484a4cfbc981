import type { ListEmailAutomatedQuery } from '@touchpoint/shared';
import { and, desc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { channels, conversations, emailAutomatedMessages, messages } from '../../db/schema';
import { beforeKeyset, cursorText, keysetPage, parseKeyset } from '../../platform/pagination';

const automatedColumns = {
  row: emailAutomatedMessages,
  conversationNumber: conversations.number,
  cursorAt: cursorText(emailAutomatedMessages.createdAt),
};
export type AutomatedRow = typeof emailAutomatedMessages.$inferSelect & { conversationNumber: number | null };

const withNumber = (r: { row: typeof emailAutomatedMessages.$inferSelect; conversationNumber: number | null }): AutomatedRow => ({
  ...r.row,
  conversationNumber: r.conversationNumber,
});

/** The bounces and auto-replies received on a channel, newest first (keyset on received-at, id). */
export async function listAutomated(tx: Tx, accountId: string, channelId: string, q: ListEmailAutomatedQuery) {
  const after = parseKeyset(q.cursor);
  const rows = await tx
    .select(automatedColumns)
    .from(emailAutomatedMessages)
    .leftJoin(
      conversations,
      and(eq(conversations.accountId, emailAutomatedMessages.accountId), eq(conversations.id, emailAutomatedMessages.conversationId)),
    )
    .where(
      and(
        eq(emailAutomatedMessages.accountId, accountId),
        eq(emailAutomatedMessages.channelId, channelId),
        q.kind ? eq(emailAutomatedMessages.kind, q.kind) : undefined,
        q.conversationId ? eq(emailAutomatedMessages.conversationId, q.conversationId) : undefined,
        after ? beforeKeyset(emailAutomatedMessages.createdAt, emailAutomatedMessages.id, after) : undefined,
      ),
    )
    .orderBy(desc(emailAutomatedMessages.createdAt), desc(emailAutomatedMessages.id))
    .limit(q.limit + 1);
  const page = keysetPage(rows, q.limit, (r) => ({ at: r.cursorAt, id: r.row.id }));
  return { items: page.items.map(withNumber), nextCursor: page.nextCursor };
}

/** The newest bounce received for one of our replies. */
export async function findBounceOf(tx: Tx, accountId: string, messageId: string): Promise<AutomatedRow | null> {
  const [row] = await tx
    .select(automatedColumns)
    .from(emailAutomatedMessages)
    .leftJoin(
      conversations,
      and(eq(conversations.accountId, emailAutomatedMessages.accountId), eq(conversations.id, emailAutomatedMessages.conversationId)),
    )
    .where(and(eq(emailAutomatedMessages.accountId, accountId), eq(emailAutomatedMessages.bouncedMessageId, messageId)))
    .orderBy(desc(emailAutomatedMessages.createdAt), desc(emailAutomatedMessages.id))
    .limit(1);
  return row ? withNumber(row) : null;
}

/**
 * A message of the conversation with what deciding whether it is an email needs: its channel's kind and the
 * conversation's customer (for the read policy). Null outside the account or the conversation.
 */
export async function findMessageWithChannel(tx: Tx, accountId: string, conversationId: string, messageId: string) {
  const [row] = await tx
    .select({
      id: messages.id,
      conversationId: messages.conversationId,
      channelId: messages.channelId,
      kind: messages.kind,
      externalId: messages.externalId,
      deliveryStatus: messages.deliveryStatus,
      metadata: messages.metadata,
      channelKind: channels.kind,
      customerId: conversations.customerId,
    })
    .from(messages)
    .innerJoin(conversations, and(eq(conversations.accountId, messages.accountId), eq(conversations.id, messages.conversationId)))
    .innerJoin(channels, and(eq(channels.accountId, messages.accountId), eq(channels.id, messages.channelId)))
    .where(and(eq(messages.accountId, accountId), eq(messages.conversationId, conversationId), eq(messages.id, messageId)));
  return row ?? null;
}
export type MessageWithChannel = NonNullable<Awaited<ReturnType<typeof findMessageWithChannel>>>;
