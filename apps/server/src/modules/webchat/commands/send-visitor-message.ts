import type { WidgetSendBody } from '@touchpoint/shared';
import type { Ctx } from '../../../platform/context';
import { receiveCustomerMessage } from '../../conversations';
import { presentVisitorMessage } from '../presenters';
import type { VisitorRow } from '../queries';

/**
 * A visitor's message, through the conversations' intake: appended to their conversation in progress on the channel
 * (a pending or snoozed one reopens) or starting one. Idempotent on clientMessageId across the visitor's
 * conversations on the channel: a send retried after a reconnect (the first may have committed while its answer was
 * lost), or racing its first copy, stores one message.
 */
export async function sendVisitorMessage(base: Pick<Ctx, 'db' | 'events' | 'requestId'>, v: VisitorRow, input: WidgetSendBody) {
  // Appending runs as the customer, so the conversation policy itself checks the conversation is theirs.
  const asVisitor: Ctx = {
    ...base,
    accountId: v.accountId,
    actor: { kind: 'customer', customerId: v.customerId, accountId: v.accountId, channelId: v.channelId },
  };
  const r = await receiveCustomerMessage(asVisitor, {
    channelId: v.channelId,
    from: { customerId: v.customerId },
    message: { body: input.body, clientMessageId: input.clientMessageId, attachmentIds: input.attachmentIds ?? [] },
    // Customers may not start conversations through the API; starting one from the widget is channel intake.
    startAs: { kind: 'system', accountId: v.accountId, reason: 'webchat' },
  });
  return { duplicate: r.outcome === 'duplicate', message: presentVisitorMessage(r.message) };
}
