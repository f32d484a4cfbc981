import { z } from 'zod';
import { envelope } from './common';

// Voice: call records kept from a telephony provider's signed events webhook (docs/channels.md#voice).

export const CALL_EVENT_TYPES = [
  'call.queued',
  'call.ringing',
  'call.answered',
  'call.hold',
  'call.resumed',
  'call.transferred',
  'call.ended',
  'call.abandoned',
  'wrapup.ended',
] as const;
export type CallEventType = (typeof CALL_EVENT_TYPES)[number];

export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

/**
 * queued/ringing/answered/on_hold while live; ended (answered, then hung up), missed (ended unanswered, e.g. to
 * voicemail) or abandoned (the caller hung up waiting) once over. Wrap-up is tracked by `wrapupEndedAt`.
 */
export const CALL_STATUSES = ['queued', 'ringing', 'answered', 'on_hold', 'ended', 'missed', 'abandoned'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/** Provider identifiers: printable, no control characters (they end up in logs and unique keys). */
const ZProviderId = z
  .string()
  .min(1)
  .max(200)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'Must not contain control characters');

/** A phone number as the provider sends it; stored as E.164 when it parses, verbatim otherwise ("anonymous"). */
const ZPhoneText = z
  .string()
  .trim()
  .min(1)
  .max(64)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'Must not contain control characters');

const ZUrl = z.url({ protocol: /^https?$/ }).max(2048);
const ZQueueName = z.string().trim().min(1).max(200);

export const ZCallAgentRef = z
  .object({ email: z.email().max(254).optional(), externalId: ZProviderId.optional() })
  .refine((a) => a.email !== undefined || a.externalId !== undefined, 'Give the agent email or externalId');
export type CallAgentRef = z.infer<typeof ZCallAgentRef>;

/**
 * One provider event. Unknown extra fields are kept (the raw payload is stored as received), so a provider's
 * additions never make us refuse its events.
 */
export const ZCallEventBody = z.looseObject({
  id: ZProviderId,
  type: z.enum(CALL_EVENT_TYPES),
  callId: ZProviderId,
  timestamp: z.iso.datetime({ offset: true }),
  direction: z.enum(CALL_DIRECTIONS).optional(),
  from: ZPhoneText.optional(),
  to: ZPhoneText.optional(),
  agent: ZCallAgentRef.optional(),
  queue: ZQueueName.optional(),
  transferTo: z
    .object({ agent: ZCallAgentRef.optional(), queue: ZQueueName.optional() })
    .refine((t) => t.agent !== undefined || t.queue !== undefined, 'Give the transfer target agent or queue')
    .optional(),
  recordingUrl: ZUrl.optional(),
  voicemailUrl: ZUrl.optional(),
  durationSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .optional(),
});
export type CallEventBody = z.infer<typeof ZCallEventBody>;

export const ZCallEventAnswer = z.object({
  data: z.object({ duplicate: z.boolean(), callId: z.string().optional() }),
});

export const ZCallHold = z.object({ startedAt: z.string(), endedAt: z.string().nullable() });
export type CallHold = z.infer<typeof ZCallHold>;

export const ZCallTransfer = z.object({
  at: z.string(),
  agent: z.object({ email: z.string().nullable(), externalId: z.string().nullable(), userId: z.string().nullable() }).nullable(),
  queue: z.string().nullable(),
});
export type CallTransfer = z.infer<typeof ZCallTransfer>;

export const ZCall = z.object({
  id: z.string(),
  channelId: z.string(),
  conversationId: z.string().nullable(),
  customerId: z.string().nullable(),
  providerCallId: z.string(),
  direction: z.enum(CALL_DIRECTIONS),
  status: z.enum(CALL_STATUSES),
  from: z.string().nullable(),
  to: z.string().nullable(),
  agentUserId: z.string().nullable(),
  agentEmail: z.string().nullable(),
  agentExternalId: z.string().nullable(),
  queue: z.string().nullable(),
  /** The earliest event time of the call. */
  startedAt: z.string(),
  queuedAt: z.string().nullable(),
  ringingAt: z.string().nullable(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  abandonedAt: z.string().nullable(),
  wrapupEndedAt: z.string().nullable(),
  holds: z.array(ZCallHold),
  transfers: z.array(ZCallTransfer),
  recordingUrl: z.string().nullable(),
  voicemailUrl: z.string().nullable(),
  durationSeconds: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Call = z.infer<typeof ZCall>;
export const ZCallList = envelope(z.array(ZCall));
