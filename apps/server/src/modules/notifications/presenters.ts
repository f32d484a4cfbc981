import type { Notification, NotificationKind } from '@touchpoint/shared';
import type { notifications } from '../../db/schema';

export type NotificationRow = typeof notifications.$inferSelect;
export interface ConversationRef {
  id: string;
  number: number;
  subject: string | null;
}

export function presentNotification(row: NotificationRow, conversation: ConversationRef): Notification {
  return {
    id: row.id,
    kind: row.kind as NotificationKind,
    conversationId: row.conversationId,
    conversation: { id: conversation.id, number: conversation.number, subject: conversation.subject },
    messageId: row.messageId,
    actor: { kind: row.actorKind, id: row.actorId },
    preview: row.preview,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
  };
}
