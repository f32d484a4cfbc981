import { and, eq } from 'drizzle-orm';
import { conversations } from '../../../db/schema';
import type { Ctx } from '../../../platform/context';
import { command } from '../../../platform/tx';
import type { ConversationRow } from '../presenters';
import { applyStatus } from './change-conversation-status';

/**
 * The snooze wake-up: reopens the conversation only if it is still snoozed until exactly `snoozedUntil`.
 * Anything else (woken by a customer message, re-snoozed, resolved, deleted) makes this a no-op, so old and
 * repeated jobs are harmless. Returns the conversation when it woke it.
 */
export async function wakeSnoozedConversation(
  ctx: Ctx,
  input: { conversationId: string; snoozedUntil: Date },
): Promise<ConversationRow | null> {
  return command(ctx, async (tx) => {
    const [conv] = await tx
      .select()
      .from(conversations)
      .where(and(eq(conversations.accountId, ctx.accountId), eq(conversations.id, input.conversationId)))
      .for('update');
    if (!conv || conv.status !== 'snoozed' || conv.snoozedUntil?.getTime() !== input.snoozedUntil.getTime()) return null;
    return applyStatus(tx, ctx, conv, 'open', { reason: 'snooze_expired' });
  });
}
