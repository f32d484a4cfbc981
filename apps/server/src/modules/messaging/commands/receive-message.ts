import type { MessagingEventResult, MessagingInboundMessage } from '@touchpoint/shared';
import type { Ctx } from '../../../platform/context';
import { AppError, isUniqueViolation } from '../../../platform/errors';
import { command, read } from '../../../platform/tx';
import type { WebhookChannel } from '../../channels';
import { createConversation, createMessage, IN_PROGRESS_STATUSES, latestConversationOn, OpenConversationExists } from '../../conversations';
import { resolveCustomer } from '../../customers';
import { findMessageByExternalId } from '../queries';

const EXTERNAL_ID_KEY = 'messages_external_id_key';

const duplicateOf = (m: { id: string; conversationId: string }): MessagingEventResult => ({
  duplicate: true,
  messageId: m.id,
  conversationId: m.conversationId,
});

/** resolveCustomer reports bad values at `customer.<field>`; the webhook's caller sent them at `body.from.<field>`. */
function asPayloadError(err: unknown): unknown {
  if (!(err instanceof AppError) || err.code !== 'validation_failed' || !err.details.errors) return err;
  const errors = err.details.errors.map((e) => ({
    ...e,
    path: e.path.replace(/^customer\.channelHandle\.value$/, 'body.from.handle').replace(/^customer\./, 'body.from.'),
  }));
  return new AppError('validation_failed', err.message, { ...err.details, errors });
}

async function resolveSender(ctx: Ctx, channel: WebhookChannel, from: MessagingInboundMessage['from']) {
  try {
    // A transaction of its own: resolveCustomer advisory-locks the identities, so two first messages from one
    // number create one customer, and the conversation commands below open their own transactions.
    const { customer } = await command(ctx, (tx) =>
      resolveCustomer(tx, ctx, {
        name: from.name,
        phone: from.phone,
        externalId: from.externalId,
        channelHandle: from.handle !== undefined ? { channelId: channel.id, value: from.handle } : undefined,
      }),
    );
    return customer;
  } catch (err) {
    throw asPayloadError(err);
  }
}

/**
 * An inbound message: appended to the sender's conversation in progress on this channel, or starting a new one,
 * through the conversation commands (so routing, SLAs, KPIs and automation see an ordinary customer message).
 * The provider's event id is the message's externalId, unique per channel: a redelivery is found up front, and
 * one racing the first copy loses on the unique key, rolls back whole (conversation included) and answers duplicate.
 */
export async function receiveMessage(ctx: Ctx, channel: WebhookChannel, ev: MessagingInboundMessage): Promise<MessagingEventResult> {
  const known = await read(ctx, (tx) => findMessageByExternalId(tx, ctx.accountId, channel.id, ev.id));
  if (known) return duplicateOf(known);
  const customer = await resolveSender(ctx, channel, ev.from);
  const message = {
    kind: 'incoming' as const,
    body: ev.text ?? '',
    attachments: ev.attachments ?? [],
    externalId: ev.id,
    metadata: {
      messaging: { ...(ev.timestamp ? { providerTimestamp: ev.timestamp } : {}), ...(ev.from.name ? { fromName: ev.from.name } : {}) },
    },
  };
  try {
    const openId = await read(ctx, (tx) =>
      latestConversationOn(tx, ctx.accountId, { customerId: customer.id, channelId: channel.id, statuses: IN_PROGRESS_STATUSES }),
    );
    const append = async (conversationId: string) => {
      const r = await createMessage(ctx, { conversationId, channelId: channel.id, ...message });
      return { duplicate: false, messageId: r.message.id, conversationId: r.conversation.id };
    };
    if (openId) return await append(openId);
    try {
      const r = await createConversation(ctx, {
        customerId: customer.id,
        channelId: channel.id,
        message,
        unlessOpen: IN_PROGRESS_STATUSES,
      });
      return { duplicate: false, messageId: r.message.id, conversationId: r.conversation.id };
    } catch (err) {
      // Another first message from this sender started one a moment ago: this one joins it.
      if (err instanceof OpenConversationExists) return await append(err.conversationId);
      throw err;
    }
  } catch (err) {
    if (!isUniqueViolation(err, EXTERNAL_ID_KEY)) throw err;
    const first = await read(ctx, (tx) => findMessageByExternalId(tx, ctx.accountId, channel.id, ev.id));
    if (!first) throw err;
    return duplicateOf(first);
  }
}
