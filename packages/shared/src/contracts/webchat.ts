import { z } from 'zod';
import { ZAttachmentIds, ZAttachmentLimits, ZStoredAttachment } from './attachments';

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
  /** Files sent with the message; download one with `GET /api/v1/widget/:channelId/attachments/:id`. */
  attachments: z.array(ZStoredAttachment).optional(),
});
export type VisitorMessage = z.infer<typeof ZVisitorMessage>;

export const ZWidgetSession = z.object({
  /** Opaque; send it as `Authorization: Bearer <token>` (or `?token=` on the WebSocket). Shown only once. */
  token: z.string(),
  messages: z.array(ZVisitorMessage),
});
export const ZWidgetSessionEnvelope = z.object({ data: ZWidgetSession });

export const ZWidgetHistoryEnvelope = z.object({
  data: z.object({
    messages: z.array(ZVisitorMessage),
    /** When an agent last read the visitor's conversation (the widget's "Seen"); null when not yet. */
    agentReadAt: z.string().nullable().optional(),
  }),
});

const ZWidgetSendFields = z.object({
  body: z.string().max(MAX_WIDGET_MESSAGE_LENGTH).refine(noNul, 'Text must not contain NUL characters'),
  /** Chosen by the widget per message and reused on retries, so a send retried after a reconnect is stored once. */
  clientMessageId: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[\w.:-]+$/, 'Letters, digits and . _ : - only'),
});
const hasText = (b: { body: string }) => /\S/.test(b.body);
const NOT_EMPTY = { message: 'The message must not be empty', path: ['body'] };

/** Text, or files uploaded with `POST .../attachments` (then the text may be empty), or both. */
export const ZWidgetSendBody = ZWidgetSendFields.extend({ attachmentIds: ZAttachmentIds.optional() }).refine(
  (b) => hasText(b) || (b.attachmentIds?.length ?? 0) > 0,
  NOT_EMPTY,
);
export type WidgetSendBody = z.infer<typeof ZWidgetSendBody>;

export const ZWidgetSendEnvelope = z.object({ data: z.object({ duplicate: z.boolean(), message: ZVisitorMessage }) });

/** Server -> widget over the WebSocket. */
export type WidgetSocketMessage = { type: 'hello' } | { type: 'message'; message: VisitorMessage } | WidgetSocketSignal;

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

// ---- channel config, the widget's config answer, pre-chat and offline forms (docs/channels.md#web-chat) ----

export const PRECHAT_FIELD_MODES = ['off', 'optional', 'required'] as const;
export const ZPrechatFieldMode = z.enum(PRECHAT_FIELD_MODES);
export type PrechatFieldMode = z.infer<typeof ZPrechatFieldMode>;

/** `config.prechat` of a web channel: a form the widget shows an anonymous visitor before their first message. */
export const ZPrechatConfig = z.object({
  enabled: z.boolean(),
  /** A line above the form, e.g. "Tell us who you are and we'll be right with you". */
  intro: z.string().max(500).refine(noNul, 'Text must not contain NUL characters').optional(),
  fields: z
    .object({ name: ZPrechatFieldMode.default('optional'), email: ZPrechatFieldMode.default('required') })
    .default({ name: 'optional', email: 'required' }),
});
export type PrechatConfig = z.infer<typeof ZPrechatConfig>;

/** `config` of a channel of kind `web` (all optional; other keys are kept as they are). */
export const ZWebChannelConfig = z.object({
  prechat: ZPrechatConfig.optional(),
  /** The first line of an empty chat; "Hi! How can we help?" without one. */
  greeting: z.string().max(500).refine(noNul, 'Text must not contain NUL characters').optional(),
});
export type WebChannelConfig = z.infer<typeof ZWebChannelConfig>;

/** What `GET /api/v1/widget/:channelId/config` answers: everything the frame needs before the visitor writes. */
export const ZWidgetConfig = z.object({
  /** At least one agent who takes conversations is online; false = the widget shows the offline (email) form. */
  online: z.boolean(),
  greeting: z.string().nullable(),
  prechat: z.object({
    enabled: z.boolean(),
    intro: z.string().nullable(),
    fields: z.object({ name: ZPrechatFieldMode, email: ZPrechatFieldMode }),
  }),
  /** What the visitor may attach (checked again by the server). */
  attachments: ZAttachmentLimits,
});
export type WidgetConfig = z.infer<typeof ZWidgetConfig>;
export const ZWidgetConfigEnvelope = z.object({ data: ZWidgetConfig });

const ZVisitorEmail = z.email('A valid email address').max(320);
const ZVisitorName = z.string().trim().min(1).max(200).refine(noNul, 'Text must not contain NUL characters');

/** The pre-chat form's answers; which fields are required comes from the channel's config (checked by the server). */
export const ZWidgetPrechatBody = z.object({ name: ZVisitorName.optional(), email: ZVisitorEmail.optional() });
export type WidgetPrechatBody = z.infer<typeof ZWidgetPrechatBody>;

/** The offline form: a message and the email to answer it at (nobody was available to chat). */
export const ZWidgetOfflineBody = ZWidgetSendFields.extend({ email: ZVisitorEmail, name: ZVisitorName.optional() }).refine(
  hasText,
  NOT_EMPTY,
);
export type WidgetOfflineBody = z.infer<typeof ZWidgetOfflineBody>;

/** The visitor's chat state besides messages: when an agent last read their conversation (null: not yet). */
export const ZWidgetReadState = z.object({ agentReadAt: z.string().nullable() });

/** Server -> widget over the WebSocket, besides `hello` and `message`. */
export type WidgetSocketSignal = { type: 'typing'; name: string | null } | { type: 'read'; agentReadAt: string };
/** Widget -> server over the WebSocket: "the visitor is typing" (throttled by the widget, never stored). */
export type WidgetSocketClientMessage = { type: 'typing' };
/** `POST /api/v1/conversations/:id/read-marker` (agents): the conversation's marker after recording the read. */
export const ZReadMarkerEnvelope = z.object({ data: ZWidgetReadState });
/** `POST /api/v1/widget/:channelId/read` (visitor): how many agent replies just became `read`. */
export const ZWidgetReadEnvelope = z.object({ data: z.object({ read: z.number().int() }) });
