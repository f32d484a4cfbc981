import { z } from 'zod';

// Contracts of the messaging channels (SMS, WhatsApp, Messenger, Instagram, Telegram, other): the normalised
// payloads a provider or bridge posts to `POST /api/v1/channels/:channelId/messaging/events` (signed, see
// docs/channels.md) and the delivery Touchpoint posts to the channel's `config.outboundUrl`.

export const MESSAGING_CHANNEL_KINDS = ['sms', 'whatsapp', 'messenger', 'instagram', 'telegram', 'other'] as const;
export type MessagingChannelKind = (typeof MESSAGING_CHANNEL_KINDS)[number];
export const isMessagingChannelKind = (kind: string): kind is MessagingChannelKind =>
  (MESSAGING_CHANNEL_KINDS as readonly string[]).includes(kind);

/** pending (queued here) -> sent (the provider accepted it) -> delivered -> read; failed at any point before delivered. */
export const DELIVERY_STATUSES = ['pending', 'sent', 'delivered', 'read', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const ZDeliveryStatus = z.enum(DELIVERY_STATUSES);

export const MAX_MESSAGING_TEXT_LENGTH = 10_000;
export const MAX_MESSAGING_ATTACHMENTS = 10;

/** PostgreSQL text cannot hold NUL; refusing it here turns a database error into a clear 422. */
const noNul = (s: string) => !s.includes('\u0000');
const text = (max: number) => z.string().max(max).refine(noNul, 'Text must not contain NUL characters');
const ZHttpUrl = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .refine(noNul, 'Text must not contain NUL characters');

export const ZMessagingAttachment = z.object({
  url: ZHttpUrl,
  contentType: text(255).regex(/^[\w.+-]+\/[\w.+-]+/, 'A MIME type such as image/jpeg'),
  name: text(255).optional(),
  size: z
    .number()
    .int()
    .min(0)
    .max(100 * 1024 * 1024)
    .optional(),
});
export type MessagingAttachment = z.infer<typeof ZMessagingAttachment>;

/** The provider's event id: a repeated delivery of the same id is a no-op. */
const ZEventId = text(255).regex(/\S/, 'The event id must not be empty');

export const ZMessagingInboundMessage = z
  .object({
    type: z.literal('message'),
    id: ZEventId,
    timestamp: z.iso.datetime({ offset: true }).optional(),
    from: z
      .object({
        phone: text(50).optional(),
        handle: text(255).optional(),
        name: text(200).optional(),
        externalId: text(255).optional(),
      })
      .refine((f) => !!(f.phone || f.handle || f.externalId), 'Pass at least one of phone, handle and externalId'),
    text: text(MAX_MESSAGING_TEXT_LENGTH).optional(),
    attachments: z.array(ZMessagingAttachment).max(MAX_MESSAGING_ATTACHMENTS).optional(),
  })
  .refine((m) => (m.text !== undefined && /\S/.test(m.text)) || (m.attachments?.length ?? 0) > 0, {
    message: 'Pass text and/or attachments',
    path: ['text'],
  });
export type MessagingInboundMessage = z.infer<typeof ZMessagingInboundMessage>;

export const ZMessagingInboundStatus = z.object({
  type: z.literal('status'),
  id: ZEventId,
  /** Our message id (sent as `id` in the delivery) or the provider's id returned when it accepted the message. */
  messageId: text(255).regex(/\S/, 'The message id must not be empty'),
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  error: text(1000).optional(),
  timestamp: z.iso.datetime({ offset: true }).optional(),
});
export type MessagingInboundStatus = z.infer<typeof ZMessagingInboundStatus>;

export const ZMessagingInboundEvent = z.discriminatedUnion('type', [ZMessagingInboundMessage, ZMessagingInboundStatus]);
export type MessagingInboundEvent = z.infer<typeof ZMessagingInboundEvent>;

/** The answer to an inbound event (`{ data: … }`). */
export const ZMessagingEventResult = z.object({
  duplicate: z.boolean(),
  messageId: z.string(),
  conversationId: z.string().optional(),
  deliveryStatus: ZDeliveryStatus.nullable().optional(),
});
export type MessagingEventResult = z.infer<typeof ZMessagingEventResult>;

/** What Touchpoint POSTs to `config.outboundUrl`, signed with the channel's webhookSecret. */
export const ZMessagingOutboundMessage = z.object({
  type: z.literal('message'),
  id: z.string(),
  conversationId: z.string(),
  to: z.object({ phone: z.string().optional(), handle: z.string().optional() }),
  text: z.string(),
  attachments: z.array(z.unknown()).optional(),
  sentAt: z.string(),
});
export type MessagingOutboundMessage = z.infer<typeof ZMessagingOutboundMessage>;

/** The provider's answer to a delivery: its own id, if it has one, so its status callbacks can name it. */
export const ZMessagingOutboundAnswer = z.object({ id: z.union([z.string().min(1).max(255), z.number()]).optional() });

/** `config` of a messaging channel: where replies are delivered (optional: a channel may be inbound only). */
export const ZMessagingChannelConfig = z.object({ outboundUrl: ZHttpUrl.optional() });

/**
 * What Touchpoint POSTs to an `api` channel's `config.outboundUrl` (signed like a messaging delivery). API
 * integrations know their customers by their own ids and addresses, not by a chat handle, so the customer is named
 * by Touchpoint's id and whichever of externalId, email and phone it has.
 */
export const ZApiOutboundMessage = z.object({
  type: z.literal('message'),
  id: z.string(),
  conversationId: z.string(),
  conversationNumber: z.number().int().optional(),
  customer: z.object({
    id: z.string(),
    externalId: z.string().optional(),
    email: z.string().optional(),
    phone: z.string().optional(),
  }),
  text: z.string(),
  attachments: z.array(z.unknown()).optional(),
  sentAt: z.string(),
});
export type ApiOutboundMessage = z.infer<typeof ZApiOutboundMessage>;

/** `config` of an `api` channel: replies are delivered only when it has an outboundUrl (the default one has none). */
export const ZApiChannelConfig = ZMessagingChannelConfig;
