import type { Conversation, ConversationPriority, ConversationStatus, Message } from '@touchpoint/shared';
import type { Tx } from '../../db/client';
import { rawQuery } from '../../db/raw-query';
import { notFound } from '../../platform/errors';
import { cursorTextSql, isoOfCursorText, keysetPage, parseKeyset } from '../../platform/pagination';

/*
 * The agent workspace's hot reads (BENCHMARKS W7), in hand-written SQL: one prepared statement per view, rows mapped
 * straight to the API shape. drizzle's query building and per-row x per-column mapping cost more Node CPU than
 * the database spends on these queries. Timestamps are selected as microsecond cursor text (platform/pagination.ts)
 * and printed as Date#toISOString() would print them, so the responses are byte-for-byte those of the presenters
 * (read-views.test.ts compares them).
 */

export const ts = (column: string) => `${cursorTextSql(column)} as ${column.slice(column.indexOf('.') + 1)}`;
export const iso = (at: string | null) => (at === null ? null : isoOfCursorText(at));

export interface ConversationViewRow {
  id: string;
  number: number;
  status: string;
  priority: string;
  subject: string | null;
  customer_id: string;
  channel_id: string;
  assignee_id: string | null;
  team_id: string | null;
  tags: string[];
  custom_attributes: Record<string, unknown>;
  snoozed_until: string | null;
  message_count: number;
  last_message_preview: string | null;
  last_activity_at: string;
  last_customer_message_at: string | null;
  last_agent_reply_at: string | null;
  waiting_since: string | null;
  first_response_at: string | null;
  resolved_at: string | null;
  reopened_at: string | null;
  reopen_count: number;
  created_at: string;
  updated_at: string;
  cu_id: string | null;
  cu_name: string | null;
  cu_email: string | null;
  cu_phone: string | null;
}

export const CONVERSATION_COLUMNS = [
  'c.id, c.number, c.status, c.priority, c.subject, c.customer_id, c.channel_id, c.assignee_id, c.team_id, c.tags',
  `c.custom_attributes, ${ts('c.snoozed_until')}, c.message_count, c.last_message_preview, ${ts('c.last_activity_at')}`,
  `${ts('c.last_customer_message_at')}, ${ts('c.last_agent_reply_at')}, ${ts('c.waiting_since')}, ${ts('c.first_response_at')}`,
  `${ts('c.resolved_at')}, ${ts('c.reopened_at')}, c.reopen_count, ${ts('c.created_at')}, ${ts('c.updated_at')}`,
  'cu.id as cu_id, cu.name as cu_name, cu.email as cu_email, cu.phone as cu_phone',
].join(',\n       ');

export function conversationOf(r: ConversationViewRow): Conversation {
  return {
    id: r.id,
    number: r.number,
    status: r.status as ConversationStatus,
    priority: r.priority as ConversationPriority,
    subject: r.subject,
    customerId: r.customer_id,
    ...(r.cu_id !== null ? { customer: { id: r.cu_id, name: r.cu_name, email: r.cu_email, phone: r.cu_phone } } : {}),
    channelId: r.channel_id,
    assigneeId: r.assignee_id,
    teamId: r.team_id,
    tags: r.tags,
    customAttributes: r.custom_attributes,
    snoozedUntil: iso(r.snoozed_until),
    messageCount: r.message_count,
    lastMessagePreview: r.last_message_preview,
    lastActivityAt: isoOfCursorText(r.last_activity_at),
    lastCustomerMessageAt: iso(r.last_customer_message_at),
    lastAgentReplyAt: iso(r.last_agent_reply_at),
    waitingSince: iso(r.waiting_since),
    firstResponseAt: iso(r.first_response_at),
    resolvedAt: iso(r.resolved_at),
    reopenedAt: iso(r.reopened_at),
    reopenCount: r.reopen_count,
    createdAt: isoOfCursorText(r.created_at),
    updatedAt: isoOfCursorText(r.updated_at),
  };
}

interface MessageViewRow {
  conversation_id: string;
  /** Null when the conversation has no message (before the cursor). */
  id: string | null;
  channel_id: string;
  kind: string;
  author_kind: string;
  author_user_id: string | null;
  author_customer_id: string | null;
  body: string;
  content_type: string;
  attachments: unknown[];
  client_message_id: string | null;
  delivery_status: string | null;
  created_at: string;
}

const MESSAGE_COLUMNS = `m.id, m.channel_id, m.kind, m.author_kind, m.author_user_id, m.author_customer_id, m.body, m.content_type,
                m.attachments, m.client_message_id, m.delivery_status, ${ts('m.created_at')}`;

/**
 * The conversation's existence check and its messages in one statement: the conversation by (account, id), left
 * joined laterally to its newest `limit + 1` messages (a backward scan of messages_conversation_idx). No row: the
 * conversation is not the account's (404); one row without a message id: it has no messages (on this page).
 */
const openSql = (keyset: boolean) => `select c.id as conversation_id, m.*
  from conversations c
  left join lateral (
       select ${MESSAGE_COLUMNS}
         from messages m
        where m.account_id = c.account_id and m.conversation_id = c.id${keyset ? ' and (m.created_at, m.id) < ($4::timestamptz, $5::uuid)' : ''}
        order by m.created_at desc, m.id desc
        limit $3
       ) m on true
 where c.account_id = $1 and c.id = $2`;
const OPEN_SQL = openSql(false);
const OPEN_AFTER_SQL = openSql(true);

function messageOf(r: MessageViewRow): Message {
  return {
    id: r.id!,
    conversationId: r.conversation_id,
    channelId: r.channel_id,
    kind: r.kind as Message['kind'],
    authorKind: r.author_kind as Message['authorKind'],
    authorUserId: r.author_user_id,
    authorCustomerId: r.author_customer_id,
    body: r.body,
    contentType: r.content_type,
    attachments: r.attachments,
    clientMessageId: r.client_message_id,
    deliveryStatus: r.delivery_status as Message['deliveryStatus'],
    createdAt: isoOfCursorText(r.created_at),
  };
}

/**
 * One page of a conversation's messages, or notFound('Conversation'): pages walk from the newest message back in
 * time (the cursor points at the oldest message of the previous page), each page in chronological order.
 */
export async function openConversationMessages(
  tx: Tx,
  accountId: string,
  conversationId: string,
  page: { limit: number; cursor?: string },
): Promise<{ items: Message[]; nextCursor: string | null }> {
  const after = parseKeyset(page.cursor);
  const { rows } = after
    ? await rawQuery<MessageViewRow>(tx, OPEN_AFTER_SQL, [accountId, conversationId, page.limit + 1, after.at, after.id])
    : await rawQuery<MessageViewRow>(tx, OPEN_SQL, [accountId, conversationId, page.limit + 1]);
  if (rows.length === 0) throw notFound('Conversation');
  const newestFirst = rows[0]!.id === null ? [] : rows;
  const { items, nextCursor } = keysetPage(newestFirst, page.limit, (r) => ({ at: r.created_at, id: r.id! }));
  const out = new Array<Message>(items.length);
  for (let i = 0; i < items.length; i++) out[items.length - 1 - i] = messageOf(items[i]!);
  return { items: out, nextCursor };
}
