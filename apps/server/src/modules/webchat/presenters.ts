import type { VisitorMessage } from '@touchpoint/shared';

export interface VisitorMessageRow {
  id: string;
  conversationId: string;
  kind: string;
  authorKind: string;
  body: string;
  clientMessageId: string | null;
  createdAt: Date | string;
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
  };
}
