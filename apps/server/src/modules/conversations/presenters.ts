import type {
  Conversation,
  ConversationPriority,
  ConversationState,
  ConversationStatus,
  CustomerSummary,
  Message,
} from '@touchpoint/shared';
import { getTableColumns } from 'drizzle-orm';
import { messages, type conversations } from '../../db/schema';

export type ConversationRow = typeof conversations.$inferSelect;

/** Every message column but the generated search vector, which only the index needs. */
const { searchVector: _searchVector, ...messageColumnsWithoutSearch } = getTableColumns(messages);
export const messageColumns = messageColumnsWithoutSearch;
export type MessageRow = Omit<typeof messages.$inferSelect, 'searchVector'>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentConversation(row: ConversationRow, customer?: CustomerSummary | null): Conversation {
  return {
    id: row.id,
    number: row.number,
    status: row.status as ConversationStatus,
    priority: row.priority as ConversationPriority,
    subject: row.subject,
    customerId: row.customerId,
    ...(customer ? { customer } : {}),
    channelId: row.channelId,
    assigneeId: row.assigneeId,
    teamId: row.teamId,
    tags: row.tags,
    customAttributes: row.customAttributes,
    snoozedUntil: iso(row.snoozedUntil),
    messageCount: row.messageCount,
    lastMessagePreview: row.lastMessagePreview,
    lastActivityAt: row.lastActivityAt.toISOString(),
    lastCustomerMessageAt: iso(row.lastCustomerMessageAt),
    lastAgentReplyAt: iso(row.lastAgentReplyAt),
    waitingSince: iso(row.waitingSince),
    firstResponseAt: iso(row.firstResponseAt),
    resolvedAt: iso(row.resolvedAt),
    reopenedAt: iso(row.reopenedAt),
    reopenCount: row.reopenCount,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentMessage(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    channelId: row.channelId,
    kind: row.kind as Message['kind'],
    authorKind: row.authorKind as Message['authorKind'],
    authorUserId: row.authorUserId,
    authorCustomerId: row.authorCustomerId,
    body: row.body,
    contentType: row.contentType,
    attachments: row.attachments,
    clientMessageId: row.clientMessageId,
    deliveryStatus: row.deliveryStatus as Message['deliveryStatus'],
    createdAt: row.createdAt.toISOString(),
  };
}

/** The derived fields the pure functions in shared/domain/conversation.ts work on. */
export function stateOf(row: ConversationRow): ConversationState {
  return {
    status: row.status as ConversationStatus,
    snoozedUntil: row.snoozedUntil,
    messageCount: row.messageCount,
    lastMessagePreview: row.lastMessagePreview,
    lastActivityAt: row.lastActivityAt,
    lastCustomerMessageAt: row.lastCustomerMessageAt,
    lastAgentReplyAt: row.lastAgentReplyAt,
    waitingSince: row.waitingSince,
    firstResponseAt: row.firstResponseAt,
    resolvedAt: row.resolvedAt,
    reopenedAt: row.reopenedAt,
    reopenCount: row.reopenCount,
  };
}
