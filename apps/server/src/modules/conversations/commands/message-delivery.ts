import { canMoveDeliveryStatus, type DeliveryStatus } from '@touchpoint/shared';
import { and, eq, getTableColumns, ne } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { messages } from '../../../db/schema';
import type { Ctx } from '../../../platform/context';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { presentMessage, type MessageRow } from '../presenters';

const { searchVector: _searchVector, ...columns } = getTableColumns(messages);

export interface DeliveryUpdate {
  status: DeliveryStatus;
  /** Why it failed (provider error, our own refusal); kept in metadata.deliveryError. */
  error?: string;
  /**
   * The id the channel knows the message by (a provider's message id, our email Message-ID), stored as externalId
   * when the message has none yet, so receipts and replies can name it.
   */
  externalId?: string;
}

export interface DeliveryResult {
  message: MessageRow;
  changed: boolean;
}

export async function lockMessage(tx: Tx, accountId: string, messageId: string): Promise<MessageRow | null> {
  const [row] = await tx
    .select(columns)
    .from(messages)
    .where(and(eq(messages.accountId, accountId), eq(messages.id, messageId)))
    .for('update');
  return row ?? null;
}

/**
 * Moves a (row-locked) message's delivery status forward, or does nothing when that would move it back
 * (canMoveDeliveryStatus in packages/shared), and emits `message.delivery_status_changed` with the presented
 * message for the inbox. Used by every channel that delivers replies (messaging, email).
 */
export async function applyDeliveryStatus(tx: Tx, ctx: Ctx, message: MessageRow, update: DeliveryUpdate): Promise<DeliveryResult> {
  const from = message.deliveryStatus as DeliveryStatus | null;
  let externalId = message.externalId;
  const metadata: Record<string, unknown> = { ...message.metadata };
  if (update.externalId && !externalId) {
    // The unique key on (account, channel, external_id) would abort the whole transaction on a clash with an
    // inbound message's id; check first and keep the id in metadata only in that (unlikely) case.
    const [clash] = await tx
      .select({ id: messages.id })
      .from(messages)
      .where(
        and(
          eq(messages.accountId, ctx.accountId),
          eq(messages.channelId, message.channelId),
          eq(messages.externalId, update.externalId),
          ne(messages.id, message.id),
        ),
      );
    if (clash) metadata.channelMessageId = update.externalId;
    else externalId = update.externalId;
  }
  if (!canMoveDeliveryStatus(from, update.status)) {
    if (externalId === message.externalId) return { message, changed: false };
    const [row] = await tx.update(messages).set({ externalId, metadata }).where(eq(messages.id, message.id)).returning(columns);
    return { message: row!, changed: false };
  }
  if (update.status === 'failed') metadata.deliveryError = update.error ?? 'Delivery failed';
  else delete metadata.deliveryError;
  const [row] = await tx
    .update(messages)
    .set({ deliveryStatus: update.status, externalId, metadata })
    .where(and(eq(messages.accountId, ctx.accountId), eq(messages.id, message.id)))
    .returning(columns);
  await emit(tx, ctx, {
    type: 'message.delivery_status_changed',
    conversationId: row!.conversationId,
    payload: {
      message: presentMessage(row!),
      from,
      to: update.status,
      ...(update.status === 'failed' ? { error: String(metadata.deliveryError) } : {}),
    },
  });
  return { message: row!, changed: true };
}

/** The same, in a transaction of its own (the delivery job). Null when the message no longer exists. */
export async function setDeliveryStatus(ctx: Ctx, messageId: string, update: DeliveryUpdate): Promise<DeliveryResult | null> {
  return command(ctx, async (tx) => {
    const message = await lockMessage(tx, ctx.accountId, messageId);
    return message ? applyDeliveryStatus(tx, ctx, message, update) : null;
  });
}
