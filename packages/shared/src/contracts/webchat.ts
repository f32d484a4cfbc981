import { z } from 'zod';

// Contracts of the web chat widget's visitor API (docs/channels.md#web-chat): `/api/v1/widget/:channelId/...`,
// authenticated by the visitor token from `POST .../sessions`, and the messages its WebSocket pushes.

export const MAX_WIDGET_MESSAGE_LENGTH = 5_000;
/** Request bodies of the visitor API are small; anything bigger is refused before it is parsed (413). */
export const WIDGET_BODY_LIMIT_BYTES = 32 * 1024;

const noNul = (s: string) => !s.includes('\u0000');

export const ZWidgetParams = z.object({ channelId: z.string().max(64) });
export const ZWidgetSocketQuery = z.object({ token: z.string().max(200).optional() });

/** What a visitor sees of a message: never notes, internal ids or who among the agents wrote it. */
export const ZVisitorMessage = z.object({
  id: z.string(),
  conversationId: z.string(),
  from: z.enum(['visitor', 'agent', 'bot', 'system']),
  body: z.string(),
  clientMessageId: z.string().nullable(),
  createdAt: z.string(),
});
export type VisitorMessage = z.infer<typeof ZVisitorMessage>;

export const ZWidgetSession = z.object({
  /** Opaque; send it as `Authorization: Bearer <token>` (or `?token=` on the WebSocket). Shown only once. */
  token: z.string(),
  messages: z.array(ZVisitorMessage),
});
export const ZWidgetSessionEnvelope = z.object({ data: ZWidgetSession });

export const ZWidgetHistoryEnvelope = z.object({ data: z.object({ messages: z.array(ZVisitorMessage) }) });

export const ZWidgetSendBody = z.object({
  body: z
    .string()
    .max(MAX_WIDGET_MESSAGE_LENGTH)
    .regex(/\S/, 'The message must not be empty')
    .refine(noNul, 'Text must not contain NUL characters'),
  /** Chosen by the widget per message and reused on retries, so a send retried after a reconnect is stored once. */
  clientMessageId: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[\w.:-]+$/, 'Letters, digits and . _ : - only'),
});
export type WidgetSendBody = z.infer<typeof ZWidgetSendBody>;

export const ZWidgetSendEnvelope = z.object({ data: z.object({ duplicate: z.boolean(), message: ZVisitorMessage }) });

/** Server -> widget over the WebSocket. */
export type WidgetSocketMessage = { type: 'hello' } | { type: 'message'; message: VisitorMessage };

/** The hex HMAC-SHA256 the site's backend computes over `externalId ?? email` (docs/channels.md#identifying-visitors). */
export const IDENTITY_HASH_PATTERN = /^[0-9a-fA-F]{64}$/;

/**
 * `Touchpoint.identify()`: attaches the visitor to the site's logged-in user. The hash proves the site's backend
 * (which knows the channel's secret) vouched for this externalId/email; without it anyone could claim any email.
 */
export const ZWidgetIdentifyBody = z
  .object({
    email: z.string().min(1).max(320).refine(noNul, 'Text must not contain NUL characters').optional(),
    externalId: z.string().min(1).max(200).refine(noNul, 'Text must not contain NUL characters').optional(),
    name: z.string().max(200).refine(noNul, 'Text must not contain NUL characters').optional(),
    hash: z.string().regex(IDENTITY_HASH_PATTERN, 'The hex HMAC-SHA256 of externalId (or email), 64 characters'),
  })
  .refine((b) => b.email !== undefined || b.externalId !== undefined, 'Send email and/or externalId');
export type WidgetIdentifyBody = z.infer<typeof ZWidgetIdentifyBody>;
