import type { MessagingEventResult, MessagingInboundStatus } from '@touchpoint/shared';
import { messagingReceipts } from '../../../db/schema';
import type { Ctx } from '../../../platform/context';
import { notFound } from '../../../platform/errors';
import { command } from '../../../platform/tx';
import type { WebhookChannel } from '../../channels';
import { lockOutgoingMessage } from '../queries';
import { applyDeliveryStatus } from '../../conversations';

/**
 * A delivery receipt. The message is row-locked first, so receipts for one message apply in turn; the receipt's
 * event id is recorded in the same transaction (unique per channel), so a redelivered receipt changes nothing.
 * An unknown message is a 404, which makes the provider retry: its "sent" receipt can overtake the answer that
 * told us its id.
 */
export async function receiveStatus(ctx: Ctx, channel: WebhookChannel, ev: MessagingInboundStatus): Promise<MessagingEventResult> {
  return command(ctx, async (tx) => {
    const message = await lockOutgoingMessage(tx, ctx.accountId, channel.id, ev.messageId);
    if (!message) throw notFound('Message');
    const [receipt] = await tx
      .insert(messagingReceipts)
      .values({
        accountId: ctx.accountId,
        channelId: channel.id,
        eventId: ev.id,
        messageId: message.id,
        status: ev.status,
        error: ev.error,
      })
      .onConflictDoNothing()
      .returning({ id: messagingReceipts.id });
    const base = { messageId: message.id, conversationId: message.conversationId };
    if (!receipt) return { duplicate: true, ...base, deliveryStatus: message.deliveryStatus as MessagingEventResult['deliveryStatus'] };
    const { message: updated } = await applyDeliveryStatus(tx, ctx, message, {
      status: ev.status,
      error: ev.status === 'failed' ? (ev.error ?? 'The provider reported a failure') : undefined,
    });
    return { duplicate: false, ...base, deliveryStatus: updated.deliveryStatus as MessagingEventResult['deliveryStatus'] };
  });
}
