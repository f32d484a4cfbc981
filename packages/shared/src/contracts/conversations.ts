import { z } from 'zod';
import { ZAttachmentIds } from './attachments';
import { CONVERSATION_PRIORITIES, CONVERSATION_STATUSES, MAX_TAGS, MAX_TAG_LENGTH } from '../domain/conversation';
import { envelope, pageEnvelope, ZPageQuery } from './common';
import { SLA_TARGETS } from './sla';

// API contracts of the conversations module: zod schemas shared by the server (validation + OpenAPI) and the web client.

export const MESSAGE_KINDS = ['incoming', 'outgoing', 'note'] as const;
export const AUTHOR_KINDS = ['customer', 'agent', 'bot', 'system'] as const;
export const MAX_MESSAGE_LENGTH = 100_000;
/** At most this many teammates mentioned in one note. */
export const MAX_MENTIONS = 20;

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
    /**
     * Teammates mentioned in an internal note (user ids; docs/inbox.md#mentions). `@name` or `@email-local-part` in the
     * note's text is recognised too, so a client that sends no ids still mentions.
     */
    mentions: z.array(z.uuid()).max(MAX_MENTIONS).optional(),
  })
  .refine((b) => b.body !== undefined || (b.attachmentIds?.length ?? 0) > 0, {
    message: 'Pass a body and/or attachmentIds',
    path: ['body'],
  })
  .refine((b) => b.mentions === undefined || b.kind === 'note', { message: 'Only internal notes mention teammates', path: ['mentions'] });
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

/**
 * The inbox's views (docs/inbox.md): `mine` (assigned to me), `unassigned`, `teams` (the teams I am a member of),
 * `mentions` (I was @mentioned in a note), `all`. They combine with every other filter.
 */
export const INBOX_VIEWS = ['mine', 'unassigned', 'teams', 'mentions', 'all'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];
/** SLA filters: `running` (the nearest owed target is running), `due_soon` (running, due within 60 min), `breached`. */
export const SLA_FILTERS = ['running', 'due_soon', 'breached'] as const;
export type SlaFilter = (typeof SLA_FILTERS)[number];
export const SLA_DUE_SOON_MINUTES = 60;
/** List orders: last activity (newest first), waiting (longest waiting customer first), sla (earliest due first). */
export const CONVERSATION_SORTS = ['activity', 'waiting', 'sla'] as const;
export type ConversationSort = (typeof CONVERSATION_SORTS)[number];

export const ZListConversationsQuery = ZPageQuery.extend({
  /** Without it: every conversation (`all`). */
  view: z.enum(INBOX_VIEWS).optional(),
  sla: z.enum(SLA_FILTERS).optional(),
  /** Without it: `activity`, except `view=mentions`, which lists the newest mention first. */
  sort: z.enum(CONVERSATION_SORTS).optional(),
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
  /** Conversations only: hits in conversations of this status. */
  status: ZConversationStatus.optional(),
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

// ---- The inbox (docs/inbox.md): list rows, per-person read state, bulk actions, saved views ----

export const ZChannelSummary = z.object({ id: z.string(), kind: z.string(), name: z.string() });
export type ChannelSummary = z.infer<typeof ZChannelSummary>;

export const SLA_STATES = ['running', 'paused', 'breached', 'met'] as const;
export type SlaState = (typeof SLA_STATES)[number];

/**
 * The conversation's SLA at a glance: the nearest target still owed (its due time and which target it is), else
 * how the targets ended (`breached` if any was, else `met`); all null without an SLA policy. docs/inbox.md#sla.
 */
export const ZSlaSummary = z.object({
  state: z.enum(SLA_STATES).nullable(),
  target: z.enum(SLA_TARGETS).nullable(),
  dueAt: isoOrNull,
});
export type SlaSummary = z.infer<typeof ZSlaSummary>;

/** A row of the inbox list: the conversation, its channel, its SLA summary and the caller's read state. */
export const ZConversationListItem = ZConversation.extend({
  channel: ZChannelSummary,
  sla: ZSlaSummary,
  /** When the caller last marked it read (`POST /conversations/:id/read`); null if never, and for API keys. */
  readAt: isoOrNull,
  /** A customer message newer than the caller's read marker (always false for API keys). */
  unread: z.boolean(),
});
export type ConversationListItem = z.infer<typeof ZConversationListItem>;
export const ZConversationListPage = pageEnvelope(ZConversationListItem);

/** `readAt`: the newest message the client showed (default: now); the marker never moves back. */
export const ZMarkReadBody = z.object({ readAt: z.iso.datetime({ offset: true }).optional() });
export const ZReadState = z.object({ conversationId: z.string(), readAt: isoOrNull, unread: z.boolean() });
export type ReadState = z.infer<typeof ZReadState>;
export const ZReadStateEnvelope = envelope(ZReadState);

export const BULK_ACTIONS = ['assign', 'unassign', 'tag', 'untag', 'resolve', 'reopen', 'set_priority'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
export const MAX_BULK_IDS = 100;
const BULK_FIELDS = { assign: ['assigneeId', 'teamId'], tag: ['tag'], untag: ['tag'], set_priority: ['priority'] } as const;

/**
 * One action on up to 100 conversations. Each action takes exactly its own fields: `assign` an `assigneeId` (a user
 * id or `me`) and/or a `teamId`, `tag`/`untag` a `tag`, `set_priority` a `priority`; the others none.
 */
export const ZBulkConversationsBody = z
  .object({
    ids: z
      .array(z.uuid())
      .min(1)
      .max(MAX_BULK_IDS)
      .refine((ids) => new Set(ids).size === ids.length, 'ids must not repeat'),
    action: z.enum(BULK_ACTIONS),
    assigneeId: z.union([z.uuid(), z.literal('me')]).optional(),
    teamId: z.uuid().optional(),
    tag: ZTag.regex(/\S/, 'The tag must not be empty').optional(),
    priority: ZPriority.optional(),
  })
  .superRefine((b, ctx) => {
    const allowed: readonly string[] = (BULK_FIELDS as Record<string, readonly string[]>)[b.action] ?? [];
    for (const field of ['assigneeId', 'teamId', 'tag', 'priority'] as const) {
      if (b[field] !== undefined && !allowed.includes(field))
        ctx.addIssue({ code: 'custom', path: [field], message: `${field} does not go with ${b.action}` });
    }
    if (allowed.length > 0 && allowed.every((f) => b[f as 'tag'] === undefined))
      ctx.addIssue({ code: 'custom', path: [allowed[0]!], message: `${b.action} needs ${allowed.join(' and/or ')}` });
  });
export type BulkConversationsBody = z.infer<typeof ZBulkConversationsBody>;
/** Per id: applied (or already so), or why not (`not_found` for another account's id, `forbidden`, `validation_failed`). */
export const ZBulkResult = z.object({
  succeeded: z.array(z.string()),
  failed: z.array(z.object({ id: z.string(), code: z.string(), detail: z.string() })),
});
export type BulkResult = z.infer<typeof ZBulkResult>;
export const ZBulkResultEnvelope = envelope(ZBulkResult);

const q = ZListConversationsQuery.shape;
/** What a saved view stores: list filters and the order (the `GET /conversations` query without paging). */
export const ZSavedViewFilters = z.strictObject({
  view: q.view,
  status: q.status,
  channelId: q.channelId,
  teamId: q.teamId,
  tag: q.tag,
  priority: q.priority,
  sla: q.sla,
  sort: q.sort,
});
export type SavedViewFilters = z.infer<typeof ZSavedViewFilters>;
const ZViewName = z.string().trim().min(1).max(60).refine(noNul, NUL_MESSAGE);
export const ZSavedView = z.object({
  id: z.string(),
  name: z.string(),
  filters: ZSavedViewFilters,
  /** Shared with the whole account (supervisors and above curate them), else personal (only its owner sees it). */
  shared: z.boolean(),
  /** Who created it (and, while personal, the only one who sees it). */
  ownerUserId: z.string().nullable(),
  createdAt: iso,
  updatedAt: iso,
});
export type SavedView = z.infer<typeof ZSavedView>;
export const ZCreateSavedViewBody = z.object({
  name: ZViewName,
  filters: ZSavedViewFilters.default({}),
  shared: z.boolean().default(false),
});
export type CreateSavedViewBody = z.infer<typeof ZCreateSavedViewBody>;
export const ZUpdateSavedViewBody = z
  .object({ name: ZViewName.optional(), filters: ZSavedViewFilters.optional(), shared: z.boolean().optional() })
  .refine((b) => Object.keys(b).length > 0, 'Nothing to update');
export type UpdateSavedViewBody = z.infer<typeof ZUpdateSavedViewBody>;
export const ZListSavedViewsQuery = ZPageQuery;
export const ZSavedViewEnvelope = envelope(ZSavedView);
export const ZSavedViewPage = pageEnvelope(ZSavedView);
