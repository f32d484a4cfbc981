import type { MessagingEventResult, MessagingInboundMessage } from '@touchpoint/shared';
import type { Ctx } from '../../../platform/context';
import { AppError } from '../../../platform/errors';
import type { WebhookChannel } from '../../channels';
import { receiveCustomerMessage } from '../../conversations';

/** resolveCustomer reports bad values at `customer.<field>`; the webhook's caller sent them at `body.from.<field>`. */
function asPayloadError(err: unknown): unknown {
  if (!(err instanceof AppError) || err.code !== 'validation_failed' || !err.details.errors) return err;
  const errors = err.details.errors.map((e) => ({
    ...e,
    path: e.path.replace(/^customer\.channelHandle\.value$/, 'body.from.handle').replace(/^customer\./, 'body.from.'),
  }));
  return new AppError('validation_failed', err.message, { ...err.details, errors });
}

/**
 * An inbound message, through the conversations' intake: appended to the sender's conversation in progress on this
 * channel, or starting a new one. The provider's event id is the message's externalId, unique per channel: a
 * redelivery, also one racing the first copy, answers duplicate and writes nothing.
 */
export async function receiveMessage(ctx: Ctx, channel: WebhookChannel, ev: MessagingInboundMessage): Promise<MessagingEventResult> {
  const { from } = ev;
  try {
    const r = await receiveCustomerMessage(ctx, {
      channelId: channel.id,
      from: {
        identities: {
          name: from.name,
          phone: from.phone,
          externalId: from.externalId,
          channelHandle: from.handle !== undefined ? { channelId: channel.id, value: from.handle } : undefined,
        },
      },
      message: {
        body: ev.text ?? '',
        attachments: ev.attachments ?? [],
        externalId: ev.id,
        metadata: {
          messaging: { ...(ev.timestamp ? { providerTimestamp: ev.timestamp } : {}), ...(from.name ? { fromName: from.name } : {}) },
        },
      },
    });
    return { duplicate: r.outcome === 'duplicate', messageId: r.message.id, conversationId: r.message.conversationId };
  } catch (err) {
    throw asPayloadError(err);
  }
}
