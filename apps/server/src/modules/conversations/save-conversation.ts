import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { conversations } from '../../db/schema';
import type { ConversationRow } from './presenters';

/** Writes changed fields of a conversation (scoped by account) and returns the new row. */
export async function saveConversation(
  tx: Tx,
  conv: ConversationRow,
  changes: Partial<ConversationRow>,
  at = new Date(),
): Promise<ConversationRow> {
  const [row] = await tx
    .update(conversations)
    .set({ ...changes, updatedAt: at })
    .where(and(eq(conversations.accountId, conv.accountId), eq(conversations.id, conv.id)))
    .returning();
  return row!;
}
