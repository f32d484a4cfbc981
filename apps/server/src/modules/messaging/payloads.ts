import { isMessagingChannelKind, type ApiOutboundMessage, type MessagingOutboundMessage } from '@touchpoint/shared';
import { withLinks } from './attachment-links';
import type { DeliveryTarget } from './queries';

/**
 * Whether replies on this channel are delivered by the messaging job. Every messaging channel is (one without an
 * outboundUrl fails them with a reason, as documented); an `api` channel only when it was given an outboundUrl, so
 * the default API channel, and every integration that polls instead, sees no delivery and no status at all.
 */
export function deliversReplies(channel: { kind: string; config: unknown }): boolean {
  if (isMessagingChannelKind(channel.kind)) return true;
  if (channel.kind !== 'api') return false;
  const url = (channel.config as { outboundUrl?: unknown } | null)?.outboundUrl;
  // Present but invalid (a row written before validation) still takes the job, which fails it with the reason.
  return url !== undefined && url !== null;
}

/**
 * The JSON body delivered for this channel's kind, or why the customer cannot be addressed on it. Stored files carry
 * a signed, expiring `url` under `base` (PUBLIC_URL) that the provider fetches them from.
 */
export function payloadFor(target: DeliveryTarget, base: string): { error: string } | { body: string } {
  const { message } = target;
  const common = {
    type: 'message' as const,
    id: message.id,
    conversationId: message.conversationId,
  };
  const tail = {
    text: message.body,
    ...(message.attachments.length > 0 ? { attachments: withLinks(message.attachments, base, target.channel) } : {}),
    sentAt: message.createdAt.toISOString(),
  };
  if (target.channel.kind === 'api') {
    // Touchpoint's customer id is always there, so an api delivery never fails for want of an address.
    const payload: ApiOutboundMessage = {
      ...common,
      conversationNumber: target.conversationNumber,
      customer: {
        id: target.customerId,
        ...(target.externalId ? { externalId: target.externalId } : {}),
        ...(target.email ? { email: target.email } : {}),
        ...(target.phone ? { phone: target.phone } : {}),
      },
      ...tail,
    };
    return { body: JSON.stringify(payload) };
  }
  if (!target.phone && !target.handle) return { error: 'The customer has no phone number or handle on this channel' };
  const payload: MessagingOutboundMessage = {
    ...common,
    to: { ...(target.phone ? { phone: target.phone } : {}), ...(target.handle ? { handle: target.handle } : {}) },
    ...tail,
  };
  return { body: JSON.stringify(payload) };
}
