import type { ConversationStatus } from '@touchpoint/shared';
import type { Tx } from '../../../db/client';
import type { Actor, Ctx } from '../../../platform/context';
import { forbidden, invalid } from '../../../platform/errors';
import { command } from '../../../platform/tx';
import { resolveCustomer, type CustomerRow, type ResolveCustomerInput } from '../../customers';
import { canCreateConversation } from '../policy';
import {
  findConversationForUpdate,
  findCustomerMessageByClientId,
  findMessageByExternalId,
  latestConversationOn,
  lockCustomerChannel,
  lockLatestConversationOn,
} from '../queries';
import type { ConversationRow, MessageRow } from '../presenters';
import { customerById, IN_PROGRESS_STATUSES, startConversation } from './create-conversation';
import { appendMessage } from './create-message';
import type { NewMessage } from '../write-message';

/** The conversation a channel's own threading points at (email: References, reply token, `[#n]`). */
export interface ThreadCandidate {
  conversationId: string;
  method: string;
  /** The message joins without moving the conversation to its channel (see NewMessage.keepConversationChannel). */
  keepChannel?: boolean;
}

/** How the message found its conversation, for channels that record it in the message's metadata. */
export type Threading =
  | { kind: 'in_progress' }
  | { kind: 'thread'; method: string }
  | { kind: 'new' }
  /** The candidate belongs to another customer: the message starts its sender's own conversation instead. */
  | { kind: 'unverified'; conversationId: string; number: number; method: string };

export interface CustomerMessageInput {
  /** An active channel of the account, checked by the caller (signature, visitor token, SMTP recipient). */
  channelId: string;
  /** The sender: a known customer (a widget visitor), or identities to resolve (an email address, a phone…). */
  from: { customerId: string } | { identities: ResolveCustomerInput };
  /**
   * The message, from the customer. Deduplicated on `externalId` (the provider's id, per channel) when it has one,
   * otherwise on `clientMessageId` (per customer and channel).
   */
  message: Omit<NewMessage, 'kind' | 'channelId' | 'authorKind'>;
  /** The subject of a conversation this message starts. */
  subject?: string | null;
  /**
   * The channel's threading, run under the lock. Without it the message joins the customer's latest conversation
   * in progress on the channel. A candidate is joined only when it is the sender's own conversation.
   */
  findThread?: (tx: Tx) => Promise<ThreadCandidate | null>;
  /** The message's metadata once its conversation is known (replaces `message.metadata`). */
  metadataFor?: (threading: Threading) => Record<string, unknown>;
  /** Who starts a conversation when the message opens one (default the ctx's actor): customers may not start one. */
  startAs?: Actor;
}

export interface CustomerMessageResult {
  /** `duplicate`: the channel's key matched an earlier message, returned as is; nothing was written. */
  outcome: 'created' | 'appended' | 'duplicate';
  message: MessageRow;
}

/**
 * A customer's message arriving on any channel (widget, email, messaging), in one transaction: resolve the sender,
 * lock their intake on the channel, answer a duplicate with the first copy, find the conversation (the channel's
 * threading, or the one in progress), then append to it (a pending or snoozed one reopens) or start one. Channel
 * modules only parse, verify and map; routing, SLAs, KPIs, automation and realtime see the events of the ordinary
 * conversation commands.
 */
export function receiveCustomerMessage(ctx: Ctx, input: CustomerMessageInput): Promise<CustomerMessageResult> {
  return command(ctx, (tx) => receiveInTransaction(tx, ctx, input));
}

async function receiveInTransaction(tx: Tx, ctx: Ctx, input: CustomerMessageInput): Promise<CustomerMessageResult> {
  const { channelId } = input;
  const resolved = 'identities' in input.from ? await resolveCustomer(tx, ctx, input.from.identities) : null;
  const customerId = resolved?.customer.id ?? (input.from as { customerId: string }).customerId;
  // Every copy of a message comes from the same sender, so under this lock the first copy has committed or not begun.
  await lockCustomerChannel(tx, ctx.accountId, customerId, channelId);
  const duplicate = await earlierCopy(tx, ctx.accountId, customerId, input);
  if (duplicate) return { outcome: 'duplicate', message: duplicate };

  const { conversation, threading, keepChannel } = await conversationFor(tx, ctx.accountId, customerId, input);
  const { metadata, ...rest } = input.message;
  const message = { ...rest, kind: 'incoming' as const, metadata: input.metadataFor?.(threading) ?? metadata };
  if (conversation) {
    const r = await appendMessage(tx, ctx, conversation, {
      ...message,
      channelId,
      ...(keepChannel ? { keepConversationChannel: true } : {}),
    });
    return { outcome: 'appended', message: r.message };
  }
  // Uploads go into a conversation in progress; there is none (the upload endpoint refused them too).
  if ((message.attachmentIds ?? []).length > 0) throw invalid('attachmentIds.0', 'No such upload in this conversation');
  const starter: Ctx = input.startAs ? { ...ctx, actor: input.startAs } : ctx;
  if (!canCreateConversation(starter.actor)) throw forbidden('Your role may not start conversations');
  const customer: CustomerRow = resolved?.customer ?? (await customerById(tx, ctx.accountId, customerId));
  const r = await startConversation(tx, starter, {
    customer,
    channelId,
    subject: input.subject ?? null,
    message,
    newCustomer: resolved?.created ?? false,
  });
  return { outcome: 'created', message: r.message };
}

function earlierCopy(tx: Tx, accountId: string, customerId: string, input: CustomerMessageInput): Promise<MessageRow | null> {
  const { externalId, clientMessageId } = input.message;
  if (externalId) return findMessageByExternalId(tx, accountId, input.channelId, externalId);
  if (clientMessageId) return findCustomerMessageByClientId(tx, accountId, { customerId, channelId: input.channelId, clientMessageId });
  return Promise.resolve(null);
}

async function conversationFor(
  tx: Tx,
  accountId: string,
  customerId: string,
  input: CustomerMessageInput,
): Promise<{ conversation: ConversationRow | null; threading: Threading; keepChannel?: boolean }> {
  if (!input.findThread) {
    const where = { customerId, channelId: input.channelId, statuses: IN_PROGRESS_STATUSES };
    const conversation = await lockLatestConversationOn(tx, accountId, where);
    return { conversation, threading: conversation ? { kind: 'in_progress' } : { kind: 'new' } };
  }
  const candidate = await input.findThread(tx);
  const conversation = candidate && (await findConversationForUpdate(tx, accountId, candidate.conversationId));
  if (!candidate || !conversation) return { conversation: null, threading: { kind: 'new' } };
  // Only the conversation's own customer continues it: a colleague in Cc, a forged reference or a guessed number
  // must not put words into someone else's conversation.
  if (conversation.customerId === customerId)
    return { conversation, threading: { kind: 'thread', method: candidate.method }, keepChannel: candidate.keepChannel };
  return {
    conversation: null,
    threading: { kind: 'unverified', conversationId: conversation.id, number: conversation.number, method: candidate.method },
  };
}

export interface JoinOrStartInput {
  /** The customer, or their id when the caller has not loaded them (read only if a conversation starts). */
  customer: CustomerRow | string;
  /** True when the customer was created in this transaction (they have no other conversations to list). */
  newCustomer?: boolean;
  channelId: string;
  /** The statuses of a conversation the customer continues on this channel. */
  statuses: ConversationStatus[];
  /** The conversation to start when there is none. */
  start: { subject: string | null; message: Omit<NewMessage, 'channelId'> };
}

/**
 * For intake that joins a conversation without writing a message into an existing one (a call): the customer's
 * conversation in progress on the channel, or a new one started with `start`, inside the caller's transaction and
 * under the same lock as receiveCustomerMessage, so two calls (or a call and a message) start one conversation.
 */
export async function joinOrStartConversation(
  tx: Tx,
  ctx: Ctx,
  input: JoinOrStartInput,
): Promise<{ conversationId: string; created: boolean }> {
  const { channelId } = input;
  const customerId = typeof input.customer === 'string' ? input.customer : input.customer.id;
  await lockCustomerChannel(tx, ctx.accountId, customerId, channelId);
  const open = await latestConversationOn(tx, ctx.accountId, { customerId, channelId, statuses: input.statuses });
  if (open) return { conversationId: open, created: false };
  if (!canCreateConversation(ctx.actor)) throw forbidden('Your role may not start conversations');
  const { conversation } = await startConversation(tx, ctx, {
    customer: typeof input.customer === 'string' ? await customerById(tx, ctx.accountId, input.customer) : input.customer,
    channelId,
    subject: input.start.subject,
    message: input.start.message,
    newCustomer: input.newCustomer ?? false,
  });
  return { conversationId: conversation.id, created: true };
}
