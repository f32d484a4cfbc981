import { z } from 'zod';
import { ZAttachmentIds } from './attachments';
import { CONVERSATION_PRIORITIES, CONVERSATION_STATUSES, MAX_TAGS, MAX_TAG_LENGTH } from '../domain/conversation';
import { envelope, pageEnvelope, ZPageQuery } from './common';

// API contracts of the conversations module: zod schemas shared by the server (validation + OpenAPI) and the web client.

export const MESSAGE_KINDS = ['incoming', 'outgoing', 'note'] as const;
export const AUTHOR_KINDS = ['customer', 'agent', 'bot', 'system'] as const;
export const MAX_MESSAGE_LENGTH = 100_000;

export const ZConversationStatus = z.enum(CONVERSATION_STATUSES);
export const ZPriority = z.enum(CONVERSATION_PRIORITIES);
export const ZMessageKind = z.enum(MESSAGE_KINDS);
export const ZAuthorKind = z.enum(AUTHOR_KINDS);

export const ZCustomerSummary = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
});
export type CustomerSummary = z.infer<typeof ZCustomerSummary>;

const iso = z.string();
const isoOrNull = z.string().nullable();

export const ZConversation = z.object({
  id: z.string(),
  number: z.number().int(),
  status: ZConversationStatus,
  priority: ZPriority,
  subject: z.string().nullable(),
  customerId: z.string(),
  customer: ZCustomerSummary.optional(),
  channelId: z.string(),
  assigneeId: z.string().nullable(),
  teamId: z.string().nullable(),
  tags: z.array(z.string()),
  customAttributes: z.record(z.string(), z.unknown()),
  snoozedUntil: isoOrNull,
  messageCount: z.number().int(),
  lastMessagePreview: z.string().nullable(),
  lastActivityAt: iso,
  lastCustomerMessageAt: isoOrNull,
  lastAgentReplyAt: isoOrNull,
  waitingSince: isoOrNull,
  firstResponseAt: isoOrNull,
  resolvedAt: isoOrNull,
  reopenedAt: isoOrNull,
  reopenCount: z.number().int(),
  createdAt: iso,
  updatedAt: iso,
});
export type Conversation = z.infer<typeof ZConversation>;

export const ZMessage = z.object({
  id: z.string(),
  conversationId: z.string(),
  channelId: z.string(),
  kind: ZMessageKind,
  authorKind: ZAuthorKind,
  authorUserId: z.string().nullable(),
  authorCustomerId: z.string().nullable(),
  body: z.string(),
  contentType: z.string(),
  attachments: z.array(z.unknown()),
  clientMessageId: z.string().nullable(),
  /** Delivery of replies by a channel adapter (messaging, email): pending, sent, delivered, read or failed; null otherwise. */
  deliveryStatus: z.enum(['pending', 'sent', 'delivered', 'read', 'failed']).nullable().optional(),
  createdAt: iso,
});
export type Message = z.infer<typeof ZMessage>;

/** PostgreSQL text cannot hold NUL; refusing it here turns a database error into a clear 422. */
const noNul = (s: string) => !s.includes('\u0000');
const NUL_MESSAGE = 'Text must not contain NUL characters';
const hasNul = (v: unknown): boolean =>
  typeof v === 'string'
    ? !noNul(v)
    : typeof v === 'object' && v !== null
      ? Object.entries(v).some(([k, x]) => !noNul(k) || hasNul(x))
      : false;
/** Message text is stored verbatim (never trimmed or sanitised); it must contain something besides whitespace. */
const ZBody = z.string().max(MAX_MESSAGE_LENGTH).regex(/\S/, 'The message must not be empty').refine(noNul, NUL_MESSAGE);
const ZClientMessageId = z.string().min(1).max(200).refine(noNul, NUL_MESSAGE);
const ZSubject = z.string().max(255).refine(noNul, NUL_MESSAGE).nullable();
const ZTag = z.string().max(MAX_TAG_LENGTH).refine(noNul, NUL_MESSAGE);
const ZTags = z.array(ZTag).max(MAX_TAGS);
/** Custom attributes: a flat-ish JSON object, at most 50 keys. */
const ZCustomAttributes = z
  .record(z.string().min(1).max(100), z.unknown())
  .refine((o) => Object.keys(o).length <= 50, 'At most 50 attributes')
  .refine((o) => !hasNul(o), NUL_MESSAGE);

export const ZConversationParams = z.object({ id: z.uuid() });
export const ZConversationNumberParams = z.object({ number: z.coerce.number().int().min(1).max(2_147_483_647) });

export const ZCreateConversationBody = z
  .object({
    customerId: z.uuid().optional(),
    customer: z
      .object({
        name: z.string().max(200).refine(noNul, NUL_MESSAGE).optional(),
        email: z.string().max(320).refine(noNul, NUL_MESSAGE).optional(),
        phone: z.string().max(50).refine(noNul, NUL_MESSAGE).optional(),
        externalId: z.string().max(200).refine(noNul, NUL_MESSAGE).optional(),
      })
      .optional(),
    channelId: z.uuid().optional(),
    subject: ZSubject.optional(),
    priority: ZPriority.optional(),
    tags: ZTags.optional(),
    teamId: z.uuid().optional(),
    assigneeId: z.uuid().optional(),
    message: z.object({ body: ZBody, kind: ZMessageKind.default('incoming'), clientMessageId: ZClientMessageId.optional() }),
  })
  .refine((b) => (b.customerId ? !b.customer : !!b.customer), { message: 'Pass either customerId or customer', path: ['customerId'] });
export type CreateConversationBody = z.infer<typeof ZCreateConversationBody>;

export const ZCreateMessageBody = z
  .object({
    body: ZBody.optional(),
    kind: ZMessageKind,
    clientMessageId: ZClientMessageId.optional(),
    channelId: z.uuid().optional(),
    /** Uploads (`POST /conversations/:id/attachments`) sent with the message; then `body` may be left out. */
    attachmentIds: ZAttachmentIds.optional(),
  })
  .refine((b) => b.body !== undefined || (b.attachmentIds?.length ?? 0) > 0, {
    message: 'Pass a body and/or attachmentIds',
    path: ['body'],
  });
export type CreateMessageBody = z.infer<typeof ZCreateMessageBody>;

export const ZUpdateConversationBody = z
  .object({ subject: ZSubject.optional(), priority: ZPriority.optional(), customAttributes: ZCustomAttributes.optional() })
  .refine((b) => Object.keys(b).length > 0, 'Nothing to update');
export type UpdateConversationBody = z.infer<typeof ZUpdateConversationBody>;

export const ZChangeStatusBody = z.object({ status: ZConversationStatus, snoozedUntil: z.iso.datetime({ offset: true }).optional() });
export type ChangeStatusBody = z.infer<typeof ZChangeStatusBody>;

export const ZAssignmentBody = z
  .object({ assigneeId: z.uuid().nullable().optional(), teamId: z.uuid().nullable().optional() })
  .refine((b) => b.assigneeId !== undefined || b.teamId !== undefined, 'Pass assigneeId and/or teamId (null to unassign)');
export type AssignmentBody = z.infer<typeof ZAssignmentBody>;

export const ZTagsBody = z.object({ tags: ZTags });
export type TagsBody = z.infer<typeof ZTagsBody>;

export const ZListConversationsQuery = ZPageQuery.extend({
  status: ZConversationStatus.optional(),
  /** A user id, `me` (the caller) or `none` (unassigned). */
  assigneeId: z.union([z.uuid(), z.literal('me'), z.literal('none')]).optional(),
  teamId: z.uuid().optional(),
  channelId: z.uuid().optional(),
  tag: ZTag.optional(),
  priority: ZPriority.optional(),
  customerId: z.uuid().optional(),
});
export type ListConversationsQuery = z.infer<typeof ZListConversationsQuery>;

/** Pages go from the newest message back in time; within a page messages are in chronological order. */
export const ZListMessagesQuery = ZPageQuery;

export const ZConversationEnvelope = envelope(ZConversation);
export const ZConversationPage = pageEnvelope(ZConversation);
export const ZMessageEnvelope = envelope(ZMessage);
export const ZMessagePage = pageEnvelope(ZMessage);
export const ZCreatedConversationEnvelope = envelope(z.object({ conversation: ZConversation, message: ZMessage }));

/**
 * Search: ranked full-text matches, `limit` per page, `cursor` from the previous page. Only the first
 * SEARCH_MAX_RESULTS hits are reachable (refine the query or use the filtered list to go further).
 */
export const SEARCH_MAX_RESULTS = 100;
export const ZSearchQuery = z.object({
  q: z.string().max(200).regex(/\S/, 'Type something to search for').refine(noNul, NUL_MESSAGE),
  type: z.enum(['conversations', 'customers']).default('conversations'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(100).optional(),
});
export type SearchQuery = z.infer<typeof ZSearchQuery>;

/** `snippetHtml` is HTML-escaped text whose only markup is <mark>…</mark> around the matched words. */
export const ZConversationSearchHit = z.object({
  type: z.literal('conversation'),
  rank: z.number(),
  conversation: ZConversation,
  messageId: z.string(),
  snippetHtml: z.string(),
});
export const ZCustomerSearchHit = z.object({
  type: z.literal('customer'),
  rank: z.number(),
  customer: ZCustomerSummary,
  snippetHtml: z.string(),
});
export const ZSearchPage = pageEnvelope(z.discriminatedUnion('type', [ZConversationSearchHit, ZCustomerSearchHit]));
export type ConversationSearchHit = z.infer<typeof ZConversationSearchHit>;
export type CustomerSearchHit = z.infer<typeof ZCustomerSearchHit>;

/**
 * Another conversation of the same customer (merged profiles included), for "Recent conversations": the ones
 * active in the last 30 days, at most 10, most recently active first.
 */
export const ZRelatedConversation = z.object({
  id: z.string(),
  number: z.number(),
  status: ZConversationStatus,
  subject: z.string().nullable(),
  channel: z.object({ id: z.string(), kind: z.string(), name: z.string() }),
  /** The latest customer message or agent reply (the creation time before either). */
  lastMessageAt: z.string(),
  lastActivityAt: z.string(),
  lastMessagePreview: z.string().nullable(),
  createdAt: z.string(),
});
export type RelatedConversation = z.infer<typeof ZRelatedConversation>;
export const ZRelatedConversationsEnvelope = envelope(z.array(ZRelatedConversation));
