import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { messages } from '../../../db/schema';
import { emit } from '../../../platform/events';
import type { Ctx } from '../../../platform/context';
import { command } from '../../../platform/tx';
import { lockConversationForMessage } from '../queries';
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
    const { message, conversation } = await appendMessage(tx, ctx, conv, input);
    return { message, conversation, created: true };
  });
}

/**
 * Appends a message to a conversation the caller has row-locked, inside its transaction, and emits
 * `message.created` (and `conversation.status_changed` when the message reopened or woke the conversation).
 */
export async function appendMessage(
  tx: Tx,
  ctx: Ctx,
  conv: ConversationRow,
  input: NewMessage,
): Promise<{ message: MessageRow; conversation: ConversationRow }> {
  const { message, conversation } = await writeMessage(tx, ctx, conv, input, new Date());
  const presented = presentConversation(conversation);
  await emit(tx, ctx, {
    type: 'message.created',
    conversationId: conversation.id,
    customerId: conversation.customerId,
    payload: { message: presentMessage(message), conversation: presented },
  });
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
