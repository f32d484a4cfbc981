import { afterAgentReply, afterCustomerMessage, afterNote, type ConversationState } from '@touchpoint/shared';
import { and, eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Tx } from '../../db/client';
import { conversations, messages } from '../../db/schema';
import { authorize } from '../../platform/authz';
import type { Ctx } from '../../platform/context';
import { forbidden, invalid } from '../../platform/errors';
import { claimAttachments, linkAttachments, storeMessageFiles, type IncomingFile, type Uploader } from '../attachments';
import { canPostAsCustomer, conversationPolicy, type ConversationSubject } from './policy';
import { findChannel } from './queries';
import { messageColumns, stateOf, type ConversationRow, type MessageRow } from './presenters';

export type MessageKind = 'incoming' | 'outgoing' | 'note';
export type AuthorKind = 'customer' | 'agent' | 'bot' | 'system';

export interface NewMessage {
  body: string;
  kind: MessageKind;
  clientMessageId?: string;
  /** Defaults to the conversation's channel; another channel of the account moves the conversation there. */
  channelId?: string;
  /**
   * The message came on `channelId` but the conversation stays where it is (a visitor's emailed answer to a web chat
   * reply that reached them by email: the chat goes on in the widget, and the next reply decides again).
   */
  keepConversationChannel?: boolean;
  /**
   * Only for callers that are not people: an API key may post as a `bot` (an external chatbot), automation
   * posts as `bot` and system jobs as `system` by default. Users always post as `agent`.
   */
  authorKind?: Exclude<AuthorKind, 'customer'>;
  contentType?: string;
  attachments?: unknown[];
  /** Uploads (modules/attachments) to send with the message; their references are appended to `attachments`. */
  attachmentIds?: string[];
  /** Files that arrive with the message (an inbound mail's), inside the limits; stored and appended to `attachments`. */
  files?: IncomingFile[];
  /**
   * The provider's id of an inbound channel message; unique per channel (messages_external_id_key), so a
   * redelivered webhook racing the first one fails its insert instead of storing the message twice.
   */
  externalId?: string;
  metadata?: Record<string, unknown>;
  /** Notes only: teammates mentioned (user ids), besides the `@handles` in the text (mentions.ts). */
  mentions?: string[];
}

interface Author {
  authorKind: AuthorKind;
  authorUserId: string | null;
  authorCustomerId: string | null;
}

/** Who wrote the message, from the actor and the kind; authorizes as it goes. */
export function authorFor(ctx: Ctx, conv: ConversationSubject, msg: NewMessage): Author {
  const a = ctx.actor;
  if (msg.kind === 'incoming') {
    if (!canPostAsCustomer(a, conv)) throw forbidden('Your role may not record customer messages');
    return { authorKind: 'customer', authorUserId: null, authorCustomerId: conv.customerId };
  }
  authorize(a, conversationPolicy, msg.kind === 'note' ? 'note' : 'reply', conv);
  switch (a.kind) {
    case 'user':
      if (msg.authorKind && msg.authorKind !== 'agent') throw invalid('authorKind', 'People always write as agent');
      return { authorKind: 'agent', authorUserId: a.userId, authorCustomerId: null };
    case 'api_key':
      if (msg.authorKind === 'system') throw invalid('authorKind', 'API keys write as agent or bot');
      return { authorKind: msg.authorKind ?? 'agent', authorUserId: null, authorCustomerId: null };
    case 'automation':
      return { authorKind: msg.authorKind ?? 'bot', authorUserId: null, authorCustomerId: null };
    case 'system':
      return { authorKind: msg.authorKind ?? 'system', authorUserId: null, authorCustomerId: null };
    case 'customer':
      throw forbidden('Customers can only write incoming messages');
  }
}

/** What the conversation list previews: the text, or the file names of a message that is only files. */
function previewOf(message: Pick<MessageRow, 'body' | 'attachments'>): string {
  if (/\S/.test(message.body)) return message.body;
  const names = (message.attachments as { name?: unknown }[]).map((a) => (typeof a?.name === 'string' ? a.name : null)).filter(Boolean);
  return names.length > 0 ? `📎 ${names.join(', ')}` : message.body;
}

type MessageEffect = Pick<MessageRow, 'kind' | 'authorKind' | 'body' | 'attachments' | 'createdAt'>;

function nextState(state: ConversationState, message: MessageEffect): ConversationState {
  const at = message.createdAt;
  const body = previewOf(message);
  if (message.kind === 'incoming') return afterCustomerMessage(state, { at, body });
  if (message.kind === 'outgoing') return afterAgentReply(state, { at, body, byHuman: message.authorKind === 'agent' });
  return afterNote(state, { at });
}

/** A conversation before its first message (the columns' defaults), to apply that message to. */
function emptyState(at: Date): ConversationState {
  return {
    status: 'open',
    snoozedUntil: null,
    messageCount: 0,
    lastMessagePreview: null,
    lastActivityAt: at,
    lastCustomerMessageAt: null,
    lastAgentReplyAt: null,
    waitingSince: null,
    firstResponseAt: null,
    resolvedAt: null,
    reopenedAt: null,
    reopenCount: 0,
  };
}

interface Prepared {
  values: typeof messages.$inferInsert;
  uploadIds: string[];
  uploader: Uploader;
  files: IncomingFile[];
  /** What the message does to its conversation's state, known before it is stored (the files by name). */
  effect: MessageEffect;
}

/** Authorizes the author, checks the channel and claims the uploads: everything but the writes. */
async function prepare(tx: Tx, ctx: Ctx, conv: ConversationRow | NewConversation, msg: NewMessage, at: Date): Promise<Prepared> {
  const author = authorFor(ctx, conv, msg);
  let channelId = conv.channelId;
  if (msg.channelId && msg.channelId !== conv.channelId) {
    if (!(await findChannel(tx, ctx.accountId, msg.channelId))) throw invalid('channelId', 'The channel does not exist in this account');
    channelId = msg.channelId;
  }
  const uploadIds = msg.attachmentIds ?? [];
  const claimed = await claimAttachments(tx, ctx.accountId, conv.id, uploadIds, author.authorKind === 'customer' ? 'customer' : 'staff');
  const files = msg.files ?? [];
  const attachments = [...(msg.attachments ?? []), ...claimed];
  if (!/\S/.test(msg.body) && attachments.length === 0 && files.length === 0) throw invalid('body', 'The message must not be empty');
  const uploader: Uploader =
    author.authorKind === 'customer'
      ? { kind: 'customer', customerId: author.authorCustomerId }
      : author.authorUserId
        ? { kind: 'agent', userId: author.authorUserId }
        : { kind: 'system' };
  return {
    values: {
      id: uuidv7(),
      accountId: ctx.accountId,
      conversationId: conv.id,
      channelId,
      kind: msg.kind,
      ...author,
      body: msg.body,
      contentType: msg.contentType ?? 'text',
      attachments,
      clientMessageId: msg.clientMessageId ?? null,
      externalId: msg.externalId ?? null,
      metadata: msg.metadata ?? {},
      createdAt: at,
    },
    uploadIds,
    uploader,
    files,
    effect: {
      kind: msg.kind,
      authorKind: author.authorKind,
      body: msg.body,
      attachments: [...attachments, ...files.map((f) => ({ name: f.filename }))],
      createdAt: at,
    },
  };
}

/** Inserts the prepared message and stores its uploads and files. */
async function insertMessage(tx: Tx, ctx: Ctx, p: Prepared): Promise<MessageRow> {
  const [inserted] = await tx.insert(messages).values(p.values).returning(messageColumns);
  await linkAttachments(tx, ctx.accountId, inserted!.id, p.uploadIds);
  const withFiles = await storeMessageFiles(tx, ctx.accountId, inserted!, p.uploader, p.files);
  return withFiles ? { ...inserted!, attachments: withFiles } : inserted!;
}

/**
 * Inserts a message into a (locked) conversation and applies its effects to the conversation with the pure
 * rules of shared/domain/conversation.ts. The caller emits the events.
 */
export async function writeMessage(
  tx: Tx,
  ctx: Ctx,
  conv: ConversationRow,
  msg: NewMessage,
  at: Date,
): Promise<{ message: MessageRow; conversation: ConversationRow }> {
  const p = await prepare(tx, ctx, conv, msg, at);
  const message = await insertMessage(tx, ctx, p);
  // Notes are internal: they never move the conversation to another channel.
  const moveTo = msg.kind !== 'note' && !msg.keepConversationChannel ? p.values.channelId : conv.channelId;
  const [updated] = await tx
    .update(conversations)
    .set({ ...nextState(stateOf(conv), p.effect), channelId: moveTo, updatedAt: at })
    .where(and(eq(conversations.accountId, ctx.accountId), eq(conversations.id, conv.id)))
    .returning();
  return { message, conversation: updated! };
}

/** A conversation about to be started: its columns, before its first message. */
export type NewConversation = Omit<typeof conversations.$inferInsert, 'id'> & {
  id: string;
  accountId: string;
  customerId: string;
  channelId: string;
};

/**
 * Starts a conversation with its first message. The conversation is inserted with that message's effects already
 * applied (one INSERT instead of an INSERT and an UPDATE), then the message. The caller emits the events.
 */
export async function writeFirstMessage(
  tx: Tx,
  ctx: Ctx,
  conv: NewConversation,
  msg: NewMessage,
  at: Date,
): Promise<{ message: MessageRow; conversation: ConversationRow }> {
  const p = await prepare(tx, ctx, conv, msg, at);
  const moveTo = msg.kind !== 'note' ? p.values.channelId : conv.channelId;
  const [created] = await tx
    .insert(conversations)
    .values({ ...conv, ...nextState(emptyState(at), p.effect), channelId: moveTo, createdAt: at, updatedAt: at })
    .returning();
  const message = await insertMessage(tx, ctx, p);
  return { message, conversation: created! };
}
