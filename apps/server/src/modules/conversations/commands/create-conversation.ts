import { normalizeTags, type ConversationPriority, type ConversationStatus, type CustomerSummary } from '@touchpoint/shared';
import { and, asc, eq, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Tx } from '../../../db/client';
import { accounts, messages } from '../../../db/schema';
import type { Ctx } from '../../../platform/context';
import { AppError, forbidden, invalid, isUniqueViolation } from '../../../platform/errors';
import { emit } from '../../../platform/events';
import { previousResult, rememberResult, requestHash, type IdempotentRequest } from '../../../platform/idempotency';
import { command } from '../../../platform/tx';
import { findDefaultChannel } from '../../channels';
import { getCustomerById, resolveCustomer, type CustomerRow } from '../../customers';
import { checkAssignee, checkTeam } from '../assignment-rules';
import { canCreateConversation } from '../policy';
import { findChannel, getConversation } from '../queries';
import { presentConversation, presentMessage, type ConversationRow, type MessageRow } from '../presenters';
import { listRelatedConversations } from '../related';
import { writeFirstMessage, type NewConversation, type NewMessage } from '../write-message';

export interface CreateConversationInput {
  customerId?: string;
  customer?: { name?: string; email?: string; phone?: string; externalId?: string };
  channelId?: string;
  subject?: string | null;
  priority?: ConversationPriority;
  tags?: string[];
  teamId?: string;
  assigneeId?: string;
  message: Omit<NewMessage, 'channelId'>;
}

/** The statuses of a conversation still in progress, which a channel's next message from the customer joins. */
export const IN_PROGRESS_STATUSES: ConversationStatus[] = ['open', 'pending', 'snoozed'];

export interface CreateConversationResult {
  conversation: ConversationRow;
  customer: CustomerSummary;
  message: MessageRow;
  /** True when an earlier request with the same Idempotency-Key created it: nothing new was written. */
  replayed?: boolean;
}

const IDEMPOTENCY_SCOPE = 'conversation.create';

/** What the earlier request with the key created: the conversation, its customer and its first message. */
async function earlierResult(tx: Tx, accountId: string, conversationId: string): Promise<CreateConversationResult> {
  const { conversation, customer } = await getConversation(tx, accountId, conversationId);
  if (!customer) throw new Error(`Conversation ${conversationId} has no customer`);
  const [message] = await tx
    .select()
    .from(messages)
    .where(and(eq(messages.accountId, accountId), eq(messages.conversationId, conversationId)))
    .orderBy(asc(messages.createdAt), asc(messages.id))
    .limit(1);
  return { conversation, customer, message: message!, replayed: true };
}

/** The customer by id (a merged-away profile redirects to its survivor), 422 when the id is unknown here. */
export async function customerById(tx: Tx, accountId: string, id: string): Promise<CustomerRow> {
  let customer: CustomerRow | null = null;
  try {
    customer = await getCustomerById(tx, accountId, id);
    for (let hops = 0; customer.mergedIntoId && hops < 5; hops++) customer = await getCustomerById(tx, accountId, customer.mergedIntoId);
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') throw invalid('customerId', 'The customer does not exist in this account');
    throw err;
  }
  return customer;
}

async function channelFor(tx: Tx, accountId: string, channelId: string | undefined): Promise<string> {
  if (channelId) {
    if (!(await findChannel(tx, accountId, channelId))) throw invalid('channelId', 'The channel does not exist in this account');
    return channelId;
  }
  const api = await findDefaultChannel(tx, accountId, 'api');
  if (!api) throw invalid('channelId', 'The account has no active API channel; pass channelId');
  return api.id;
}

/** The next per-account number (#1042). The row lock on the account serialises concurrent creations. */
async function nextNumber(tx: Tx, accountId: string): Promise<number> {
  const [row] = await tx
    .update(accounts)
    .set({ conversationSeq: sql`${accounts.conversationSeq} + 1` })
    .where(eq(accounts.id, accountId))
    .returning({ seq: accounts.conversationSeq });
  if (!row) throw new Error(`Account ${accountId} not found`);
  return row.seq;
}

/**
 * Starts a conversation with its first message: from the customer (incoming), agent-initiated (outgoing) or an
 * internal note. Emits `conversation.created` then `message.created`.
 */
export async function createConversation(
  ctx: Ctx,
  input: CreateConversationInput,
  opts: { idempotencyKey?: string } = {},
): Promise<CreateConversationResult> {
  if (!canCreateConversation(ctx.actor)) throw forbidden('Your role may not start conversations');
  const idem = opts.idempotencyKey ? { scope: IDEMPOTENCY_SCOPE, key: opts.idempotencyKey, hash: requestHash(input) } : null;
  try {
    return await createOnce(ctx, input, idem);
  } catch (err) {
    // A concurrent request with the same key committed first: answer with what it created.
    if (idem && isUniqueViolation(err, 'idempotency_keys_account_id_scope_key_pk')) return createOnce(ctx, input, idem);
    throw err;
  }
}

function createOnce(ctx: Ctx, input: CreateConversationInput, idem: IdempotentRequest | null): Promise<CreateConversationResult> {
  return command(ctx, async (tx) => {
    if (idem) {
      const previous = await previousResult(tx, ctx.accountId, idem);
      if (previous) return earlierResult(tx, ctx.accountId, previous);
    }
    const { customer, created } = input.customerId
      ? { customer: await customerById(tx, ctx.accountId, input.customerId), created: false }
      : await resolveCustomer(tx, ctx, input.customer ?? {});
    const channelId = await channelFor(tx, ctx.accountId, input.channelId);
    if (input.teamId) await checkTeam(tx, ctx.accountId, input.teamId);
    if (input.assigneeId) await checkAssignee(tx, ctx.accountId, input.assigneeId);
    const r = await startConversation(tx, ctx, { ...input, customer, channelId, newCustomer: created });
    if (idem) await rememberResult(tx, ctx.accountId, idem, r.conversation.id);
    return r;
  });
}

export interface StartConversationInput extends Omit<CreateConversationInput, 'customerId' | 'customer' | 'channelId'> {
  customer: CustomerRow;
  /** An active channel of the account (the caller checked it). */
  channelId: string;
  /** A customer created in this very transaction has no other conversations to list: skips that query. */
  newCustomer?: boolean;
}

/**
 * Starts a conversation with its first message inside the caller's transaction, and emits `conversation.created`
 * then `message.created`. The caller has authorized it and checked the channel, team and assignee.
 */
export async function startConversation(tx: Tx, ctx: Ctx, input: StartConversationInput): Promise<CreateConversationResult> {
  const { customer } = input;
  const at = new Date();
  // Taken last, so the account row stays locked for as short a time as possible.
  const number = await nextNumber(tx, ctx.accountId);
  const draft: NewConversation = {
    id: uuidv7(),
    accountId: ctx.accountId,
    number,
    customerId: customer.id,
    channelId: input.channelId,
    subject: input.subject ?? null,
    priority: input.priority ?? 'normal',
    tags: normalizeTags(input.tags ?? []),
    teamId: input.teamId ?? null,
    assigneeId: input.assigneeId ?? null,
  };
  const { message, conversation } = await writeFirstMessage(tx, ctx, draft, input.message, at);
  const summary: CustomerSummary = { id: customer.id, name: customer.name, email: customer.email, phone: customer.phone };
  const presented = presentConversation(conversation, summary);
  const presentedMessage = presentMessage(message);
  const ids = { conversationId: conversation.id, customerId: customer.id };
  // The customer's recent conversations on any channel, so listeners and clients can link the new one to them.
  const recentConversationIds = input.newCustomer ? [] : (await listRelatedConversations(tx, ctx.accountId, conversation)).map((r) => r.id);
  await emit(tx, ctx, {
    type: 'conversation.created',
    ...ids,
    payload: { conversation: presented, message: presentedMessage, recentConversationIds },
  });
  await emit(tx, ctx, { type: 'message.created', ...ids, payload: { message: presentedMessage, conversation: presented } });
  return { conversation, customer: summary, message };
}
