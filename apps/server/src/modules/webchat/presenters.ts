import type { StoredAttachment, VisitorMessage } from '@touchpoint/shared';

export interface VisitorMessageRow {
  id: string;
  conversationId: string;
  kind: string;
  authorKind: string;
  body: string;
  clientMessageId: string | null;
  createdAt: Date | string;
  attachments?: unknown[];
}

/** Only the references modules/attachments writes (id, name, type, size): nothing else a message may carry. */
function visitorAttachments(list: unknown[] | undefined): StoredAttachment[] {
  return (list ?? [])
    .filter((a): a is StoredAttachment => typeof a === 'object' && a !== null && typeof (a as StoredAttachment).id === 'string')
    .map((a) => ({ id: a.id, name: a.name, contentType: a.contentType, size: a.size, inline: a.inline }));
}

/** The visitor's view of a message: who wrote it by role only (agents' ids and names stay inside). */
export function presentVisitorMessage(m: VisitorMessageRow): VisitorMessage {
  const from = m.kind === 'incoming' ? 'visitor' : m.authorKind === 'bot' || m.authorKind === 'system' ? m.authorKind : 'agent';
  return {
    id: m.id,
    conversationId: m.conversationId,
    from,
    body: m.body,
    clientMessageId: m.clientMessageId,
    createdAt: typeof m.createdAt === 'string' ? m.createdAt : m.createdAt.toISOString(),
    attachments: visitorAttachments(m.attachments),
  };
}
