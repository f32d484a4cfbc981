import type { ReadState } from '@touchpoint/shared';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { conversationReads, conversations } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { forbidden, notFound } from '../../../platform/errors';
import { command } from '../../../platform/tx';
import { conversationPolicy } from '../policy';

/*
 * Per-person read state (docs/inbox.md#unread): a conversation is unread for me while it has a customer message newer
 * than my marker. Not the web chat's visitor-facing "Seen" (`POST /conversations/:id/read-marker`), which tells the
 * visitor; this one only tells my own inbox.
 */

async function readable(tx: Tx, ctx: Ctx, conversationId: string) {
  if (ctx.actor.kind !== 'user') throw forbidden('Read state belongs to people; API keys have none');
  const [conv] = await tx
    .select({
      id: conversations.id,
      accountId: conversations.accountId,
      customerId: conversations.customerId,
      lastCustomerMessageAt: conversations.lastCustomerMessageAt,
    })
    .from(conversations)
    .where(and(eq(conversations.accountId, ctx.accountId), eq(conversations.id, conversationId)));
  if (!conv) throw notFound('Conversation');
  authorize(ctx.actor, conversationPolicy, 'read', conv);
  return { conv, userId: ctx.actor.userId };
}

const stateOf = (conversationId: string, readAt: Date | null, lastCustomerMessageAt: Date | null): ReadState => ({
  conversationId,
  readAt: readAt?.toISOString() ?? null,
  unread: lastCustomerMessageAt !== null && (readAt === null || lastCustomerMessageAt.getTime() > readAt.getTime()),
});

/**
 * Marks a conversation read for the caller up to `upTo` (the newest message the client showed; default and at most
 * now). The marker only moves forward, so a late request from another tab cannot make read messages unread again.
 */
export async function markConversationRead(ctx: Ctx, conversationId: string, upTo?: Date): Promise<ReadState> {
  return command(ctx, async (tx) => {
    const { conv, userId } = await readable(tx, ctx, conversationId);
    const now = new Date();
    const at = upTo && upTo.getTime() < now.getTime() ? upTo : now;
    const [row] = await tx
      .insert(conversationReads)
      .values({ accountId: ctx.accountId, userId, conversationId, readAt: at })
      .onConflictDoUpdate({
        target: [conversationReads.accountId, conversationReads.userId, conversationReads.conversationId],
        set: { readAt: sql`greatest(${conversationReads.readAt}, excluded.read_at)` },
      })
      .returning({ readAt: conversationReads.readAt });
    return stateOf(conversationId, row!.readAt, conv.lastCustomerMessageAt);
  });
}

/** Forgets the caller's marker: the conversation is unread again if a customer wrote in it. */
export async function markConversationUnread(ctx: Ctx, conversationId: string): Promise<ReadState> {
  return command(ctx, async (tx) => {
    const { conv, userId } = await readable(tx, ctx, conversationId);
    await tx
      .delete(conversationReads)
      .where(
        and(
          eq(conversationReads.accountId, ctx.accountId),
          eq(conversationReads.userId, userId),
          eq(conversationReads.conversationId, conversationId),
        ),
      );
    return stateOf(conversationId, null, conv.lastCustomerMessageAt);
  });
}
