import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { messages } from '../../../db/schema';
import { invalid } from '../../../platform/errors';
import { emit } from '../../../platform/events';
import type { Ctx } from '../../../platform/context';
import { command } from '../../../platform/tx';
import { recordMentions } from '../mentions';
import { lockConversationForMessage } from '../queries';
import { checkReplyChannel } from '../reply-channels';
import { messageColumns, presentConversation, presentMessage, type ConversationRow, type MessageRow } from '../presenters';
import { authorFor, writeMessage, type NewMessage } from '../write-message';

export interface CreateMessageInput extends NewMessage {
  conversationId: string;
}

export interface CreateMessageResult {
  message: MessageRow;
  conversation: ConversationRow;
  /** False when `clientMessageId` matched an earlier message: that one is returned and nothing is written. */
  created: boolean;
}

/**
 * Adds a message (customer message, agent or bot reply, internal note) to a conversation. Idempotent on
 * `clientMessageId`: the conversation row lock serialises concurrent retries, so a retried send finds the
 * first one and writes nothing (no second row, no second event).
 */
export async function createMessage(ctx: Ctx, input: CreateMessageInput): Promise<CreateMessageResult> {
  return command(ctx, async (tx) => {
    const { conv, existingId } = await lockConversationForMessage(tx, ctx.accountId, input.conversationId, input.clientMessageId);
    authorFor(ctx, conv, input); // a replayed key must not bypass authorization
    if (existingId) {
      const [existing] = await tx
        .select(messageColumns)
        .from(messages)
        .where(and(eq(messages.accountId, ctx.accountId), eq(messages.id, existingId)));
      if (existing) return { message: existing, conversation: conv, created: false };
    }
    // A reply on another of the customer's channels: one the customer can be reached on (reply-channels.ts).
    if (input.kind === 'outgoing' && input.channelId && input.channelId !== conv.channelId)
      await checkReplyChannel(tx, ctx.accountId, conv.customerId, input.channelId);
    const { message, conversation } = await appendMessage(tx, ctx, conv, input);
    return { message, conversation, created: true };
  });
}

/**
 * Appends a message to a conversation the caller has row-locked, inside its transaction, and emits
 * `message.created` (and `conversation.status_changed` when the message reopened or woke the conversation; a
 * note's mentions, `conversation.mentioned`, after `message.created`).
 */
export async function appendMessage(
  tx: Tx,
  ctx: Ctx,
  conv: ConversationRow,
  input: NewMessage,
): Promise<{ message: MessageRow; conversation: ConversationRow }> {
  if (input.mentions?.length && input.kind !== 'note') throw invalid('mentions', 'Only internal notes mention teammates');
  const { message, conversation } = await writeMessage(tx, ctx, conv, input, new Date());
  const presented = presentConversation(conversation);
  await emit(tx, ctx, {
    type: 'message.created',
    conversationId: conversation.id,
    customerId: conversation.customerId,
    payload: { message: presentMessage(message), conversation: presented },
  });
  if (message.kind === 'note') await recordMentions(tx, ctx, conversation, message, input.mentions);
  if (conversation.status !== conv.status) {
    await emit(tx, ctx, {
      type: 'conversation.status_changed',
      conversationId: conversation.id,
      customerId: conversation.customerId,
      payload: { conversation: presented, from: conv.status, to: conversation.status, reason: 'customer_message' },
    });
  }
  return { message, conversation };
}
