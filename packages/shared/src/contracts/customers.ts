import { z } from 'zod';
import { IDENTITY_KINDS } from '../domain/identity';
import { pageEnvelope, ZPageQuery, ZTimeZone } from './common';

// API contracts of the customers module: zod schemas shared by the server (validation + OpenAPI) and the web client.

export const ZIdentityKind = z.enum(IDENTITY_KINDS);

export const ZCustomerIdentity = z.object({
  id: z.string(),
  kind: ZIdentityKind,
  value: z.string(),
  channelId: z.string().nullable(),
  verified: z.boolean(),
  createdAt: z.string(),
});
export type CustomerIdentity = z.infer<typeof ZCustomerIdentity>;

export const ZCustomer = z.object({
  id: z.string(),
  name: z.string().nullable(),
  /** Primary email and phone: always one of the customer's identities (or null). */
  email: z.string().nullable(),
  phone: z.string().nullable(),
  externalId: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  segment: z.string().nullable(),
  vip: z.boolean(),
  language: z.string().nullable(),
  timeZone: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()),
  /** Set once merged away: clients follow it to the surviving customer. */
  mergedIntoId: z.string().nullable(),
  mergedAt: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  identities: z.array(ZCustomerIdentity).optional(),
});
export type Customer = z.infer<typeof ZCustomer>;

const MAX_ATTRIBUTES_JSON = 16_384;
/** PostgreSQL text and jsonb cannot hold NUL characters; refuse them as input errors rather than fail later. */
// eslint-disable-next-line no-control-regex
const NO_NUL = /^[^\u0000]*$/;
const noNul = 'Must not contain NUL characters';
/** Free-form attributes (plan, company, ...): flat-ish JSON, bounded so one profile cannot grow without limit. */
export const ZCustomerAttributes = z
  .record(z.string().min(1).max(100), z.unknown())
  .refine((v) => Object.keys(v).length <= 100, 'At most 100 attributes')
  .refine((v) => JSON.stringify(v).length <= MAX_ATTRIBUTES_JSON, `Attributes may take at most ${MAX_ATTRIBUTES_JSON} bytes of JSON`)
  .refine((v) => !JSON.stringify(v).includes('\\u0000'), noNul);

const text = (max: number) => z.string().trim().max(max).regex(NO_NUL, noNul);
const raw = (max: number) => z.string().max(max).regex(NO_NUL, noNul);
const ZLanguage = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'A language tag such as "en" or "pt-BR"')
  .max(35);

/** email/phone/externalId are validated and normalised by the server (422 with a clear message). */
export const ZCreateCustomerBody = z.object({
  name: text(200).optional(),
  email: raw(320).optional(),
  phone: raw(64).optional(),
  externalId: raw(255).optional(),
  avatarUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  segment: text(100).optional(),
  vip: z.boolean().optional(),
  language: ZLanguage.optional(),
  timeZone: ZTimeZone.optional(),
  attributes: ZCustomerAttributes.optional(),
});
export type CreateCustomerBody = z.infer<typeof ZCreateCustomerBody>;

/**
 * Partial update. `null` clears a field. Setting `email`/`phone`/`externalId` makes it primary and adds it as an
 * identity (the old one stays an identity; delete it explicitly). `attributes` is a JSON merge patch: keys
 * set to null are removed, other keys are replaced.
 */
export const ZUpdateCustomerBody = z.object({
  name: text(200).nullable().optional(),
  email: raw(320).nullable().optional(),
  phone: raw(64).nullable().optional(),
  externalId: raw(255).nullable().optional(),
  avatarUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .nullable()
    .optional(),
  segment: text(100).nullable().optional(),
  vip: z.boolean().optional(),
  language: ZLanguage.nullable().optional(),
  timeZone: ZTimeZone.nullable().optional(),
  attributes: ZCustomerAttributes.optional(),
});
export type UpdateCustomerBody = z.infer<typeof ZUpdateCustomerBody>;

export const ZListCustomersQuery = ZPageQuery.extend({
  /** Prefix of name, email or phone digits, or words of the profile (full text). Exact email/phone matches rank first. */
  q: z.string().max(200).optional(),
});
export type ListCustomersQuery = z.infer<typeof ZListCustomersQuery>;

export const ZAddIdentityBody = z.object({
  kind: ZIdentityKind,
  value: raw(320).min(1),
  /** Required for channel handles: a channel of this account. */
  channelId: z.uuid().optional(),
});
export type AddIdentityBody = z.infer<typeof ZAddIdentityBody>;

export const ZIdentityParams = z.object({ id: z.uuid(), identityId: z.uuid() });

export const ZMergeCustomersBody = z.object({ sourceId: z.uuid() });
export type MergeCustomersBody = z.infer<typeof ZMergeCustomersBody>;

export const ZMergeSummary = z.object({
  sourceId: z.string(),
  moved: z.object({ identities: z.number(), conversations: z.number(), messages: z.number(), notes: z.number(), events: z.number() }),
  fieldsTakenFromSource: z.array(z.string()),
});

// Timeline: everything about a customer, newest first. Each item is `{ kind, at, id, ...entity }`; new sources
// (orders, surveys, calls) arrive as new kinds, and any event about the customer appears as an `event` item.
const ZTimelineBase = { at: z.string(), id: z.string() };

export const ZTimelineConversation = z.object({
  kind: z.literal('conversation'),
  ...ZTimelineBase,
  number: z.number(),
  status: z.string(),
  priority: z.string(),
  subject: z.string().nullable(),
  channelId: z.string(),
  assigneeId: z.string().nullable(),
  teamId: z.string().nullable(),
  tags: z.array(z.string()),
  messageCount: z.number(),
  lastMessagePreview: z.string().nullable(),
  lastActivityAt: z.string(),
  resolvedAt: z.string().nullable(),
  createdAt: z.string(),
});

/** A message; its own kind (incoming/outgoing/note) is `messageKind`, since `kind` names the item. */
export const ZTimelineMessage = z.object({
  kind: z.literal('message'),
  ...ZTimelineBase,
  conversationId: z.string(),
  channelId: z.string(),
  messageKind: z.string(),
  authorKind: z.string(),
  authorUserId: z.string().nullable(),
  authorCustomerId: z.string().nullable(),
  body: z.string(),
  contentType: z.string(),
  attachments: z.array(z.unknown()),
  createdAt: z.string(),
});

export const ZTimelineEvent = z.object({
  kind: z.literal('event'),
  ...ZTimelineBase,
  type: z.string(),
  actorKind: z.string(),
  actorId: z.string().nullable(),
  conversationId: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});

/** A phone call (voice channel); the full record is `GET /conversations/:id/calls`. */
export const ZTimelineCall = z.object({
  kind: z.literal('call'),
  ...ZTimelineBase,
  conversationId: z.string().nullable(),
  channelId: z.string(),
  direction: z.string(),
  status: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  agentUserId: z.string().nullable(),
  queue: z.string().nullable(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  durationSeconds: z.number().nullable(),
});

/** An internal note about the customer (`POST /customers/:id/notes`); staff only. */
export const ZTimelineNote = z.object({
  kind: z.literal('note'),
  ...ZTimelineBase,
  customerId: z.string(),
  authorUserId: z.string().nullable(),
  body: z.string(),
  createdAt: z.string(),
});

export const ZTimelineItem = z.discriminatedUnion('kind', [
  ZTimelineConversation,
  ZTimelineMessage,
  ZTimelineEvent,
  ZTimelineCall,
  ZTimelineNote,
]);
export type TimelineItem = z.infer<typeof ZTimelineItem>;
export const TIMELINE_KINDS = ['conversation', 'message', 'event', 'call', 'note'] as const satisfies readonly TimelineItem['kind'][];

export const ZTimelinePage = pageEnvelope(ZTimelineItem);

/** `kind` narrows the timeline to one kind of item (`conversation`: the customer's conversations on every channel). */
export const ZTimelineQuery = ZPageQuery.extend({ kind: z.enum(TIMELINE_KINDS).optional() });
export type TimelineQuery = z.infer<typeof ZTimelineQuery>;

// Merge suggestions: two profiles that demonstrably share an identity. Agents merge or dismiss them.
export const MERGE_SUGGESTION_STATUSES = ['open', 'merged', 'dismissed'] as const;
export const ZMergeSuggestionStatus = z.enum(MERGE_SUGGESTION_STATUSES);

/** One piece of evidence: the identity both profiles claim, and what produced the claim (`webchat.prechat`, ...). */
export const ZMergeSuggestionReason = z.object({ kind: z.string(), value: z.string(), source: z.string(), at: z.string() });
export type MergeSuggestionReason = z.infer<typeof ZMergeSuggestionReason>;

export const ZMergeSuggestion = z.object({
  id: z.string(),
  status: ZMergeSuggestionStatus,
  /** The profile the evidence arrived on (e.g. the web chat visitor who typed the email). */
  customer: ZCustomer,
  /** The profile that already owned the identity. */
  candidate: ZCustomer,
  reasons: z.array(ZMergeSuggestionReason),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedByUserId: z.string().nullable(),
});
export type MergeSuggestion = z.infer<typeof ZMergeSuggestion>;

export const ZListMergeSuggestionsQuery = ZPageQuery;
export type ListMergeSuggestionsQuery = z.infer<typeof ZListMergeSuggestionsQuery>;

/** Which of the two profiles survives (`customer` or `candidate`); the other is merged into it. */
export const ZMergeSuggestionBody = z.object({ survivorId: z.uuid() });
export type MergeSuggestionBody = z.infer<typeof ZMergeSuggestionBody>;

// Internal notes about a customer (not about one conversation). The author or a supervisor+ may delete one.
export const ZCustomerNote = z.object({
  id: z.string(),
  customerId: z.string(),
  /** Null when an API key wrote it. */
  authorUserId: z.string().nullable(),
  body: z.string(),
  createdAt: z.string(),
});
export type CustomerNote = z.infer<typeof ZCustomerNote>;

export const MAX_CUSTOMER_NOTE_LENGTH = 10_000;
export const ZCreateCustomerNoteBody = z.object({
  body: text(MAX_CUSTOMER_NOTE_LENGTH).min(1, 'Write something first'),
});
export type CreateCustomerNoteBody = z.infer<typeof ZCreateCustomerNoteBody>;

export const ZCustomerNoteParams = z.object({ id: z.uuid(), noteId: z.uuid() });
