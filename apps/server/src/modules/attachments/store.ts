import { createHash } from 'node:crypto';
import type { StoredAttachment } from '@touchpoint/shared';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { attachments, conversations, messages } from '../../db/schema';
import { invalid, notFound } from '../../platform/errors';

export type UploaderKind = 'customer' | 'agent' | 'system';

export interface Uploader {
  kind: UploaderKind;
  userId?: string | null;
  customerId?: string | null;
}

export interface NewAttachment {
  accountId: string;
  conversationId: string;
  filename: string;
  contentType: string;
  content: Buffer;
  uploader: Uploader;
  inline?: boolean;
  /** Set when the file arrives with its message (inbound mail); uploads get theirs when a message claims them. */
  messageId?: string;
}

/** Every column but the bytes: what lists and claims read. */
const meta = {
  id: attachments.id,
  conversationId: attachments.conversationId,
  messageId: attachments.messageId,
  uploaderKind: attachments.uploaderKind,
  uploaderUserId: attachments.uploaderUserId,
  uploaderCustomerId: attachments.uploaderCustomerId,
  filename: attachments.filename,
  contentType: attachments.contentType,
  size: attachments.size,
  sha256: attachments.sha256,
  inline: attachments.inline,
  createdAt: attachments.createdAt,
};
export type AttachmentMetaRow = { [K in keyof typeof meta]: (typeof attachments.$inferSelect)[K] };

export const presentAttachment = (r: Pick<AttachmentMetaRow, 'id' | 'filename' | 'contentType' | 'size' | 'inline'>): StoredAttachment => ({
  id: r.id,
  name: r.filename,
  contentType: r.contentType,
  size: r.size,
  inline: r.inline,
});

/** Writes the bytes; the caller has checked the limits (assertUploadAllowed / refusalOf). */
export async function storeAttachment(tx: Tx, a: NewAttachment): Promise<StoredAttachment> {
  const [row] = await tx
    .insert(attachments)
    .values({
      accountId: a.accountId,
      conversationId: a.conversationId,
      messageId: a.messageId ?? null,
      uploaderKind: a.uploader.kind,
      uploaderUserId: a.uploader.userId ?? null,
      uploaderCustomerId: a.uploader.customerId ?? null,
      filename: a.filename,
      contentType: a.contentType.split(';')[0]!.trim().toLowerCase() || 'application/octet-stream',
      size: a.content.length,
      sha256: createHash('sha256').update(a.content).digest('hex'),
      inline: a.inline ?? false,
      content: a.content,
    })
    .returning(meta);
  return presentAttachment(row!);
}

/**
 * The uploads a new message sends, in the order given. Each must be in this conversation, not sent yet, and
 * uploaded by the same side as the message's author (a customer's file cannot be sent as an agent's and back).
 * Locks the rows, so two messages racing for one upload cannot both take it. Call linkAttachments after the
 * message exists.
 */
export async function claimAttachments(
  tx: Tx,
  accountId: string,
  conversationId: string,
  ids: string[],
  side: 'customer' | 'staff',
): Promise<StoredAttachment[]> {
  if (ids.length === 0) return [];
  const rows = await tx
    .select(meta)
    .from(attachments)
    .where(and(eq(attachments.accountId, accountId), inArray(attachments.id, ids)))
    .for('update');
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id, i) => {
    const r = byId.get(id);
    const path = `attachmentIds.${i}`;
    if (!r || r.conversationId !== conversationId) throw invalid(path, 'No such upload in this conversation');
    if (r.messageId) throw invalid(path, 'This upload was already sent with another message');
    if ((r.uploaderKind === 'customer') !== (side === 'customer'))
      throw invalid(path, 'This upload belongs to the other side of the conversation');
    return presentAttachment(r);
  });
}

export interface IncomingFile {
  filename: string;
  contentType: string;
  content: Buffer;
  inline?: boolean;
}

/**
 * Stores the files that arrived with a message (an inbound mail's attachments), already inside the limits, and
 * appends their references to the message's `attachments`. Returns the message's new attachments list.
 */
export async function storeMessageFiles(
  tx: Tx,
  accountId: string,
  message: { id: string; conversationId: string },
  uploader: Uploader,
  files: IncomingFile[],
): Promise<unknown[] | null> {
  if (files.length === 0) return null;
  const refs: StoredAttachment[] = [];
  for (const f of files) {
    refs.push(await storeAttachment(tx, { accountId, conversationId: message.conversationId, messageId: message.id, uploader, ...f }));
  }
  const [row] = await tx
    .update(messages)
    .set({ attachments: sql`${messages.attachments} || ${JSON.stringify(refs)}::jsonb` })
    .where(and(eq(messages.accountId, accountId), eq(messages.id, message.id)))
    .returning({ attachments: messages.attachments });
  return row!.attachments;
}

export async function linkAttachments(tx: Tx, accountId: string, messageId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .update(attachments)
    .set({ messageId })
    .where(and(eq(attachments.accountId, accountId), inArray(attachments.id, ids), isNull(attachments.messageId)));
}

/** One attachment of the account with its bytes, for a download by staff or through a signed link. */
export async function readAttachment(tx: Tx, accountId: string, id: string): Promise<AttachmentMetaRow & { content: Buffer }> {
  const [row] = await tx
    .select({ ...meta, content: attachments.content })
    .from(attachments)
    .where(and(eq(attachments.accountId, accountId), eq(attachments.id, id)));
  if (!row) throw notFound('Attachment');
  return row;
}

/**
 * One attachment as a customer may see it: in one of their conversations, and either sent to them (a message that
 * is not an internal note) or uploaded by them. Anything else is "not found", so an id reveals nothing.
 */
export async function readCustomerAttachment(
  tx: Tx,
  accountId: string,
  id: string,
  customerId: string,
): Promise<AttachmentMetaRow & { content: Buffer }> {
  const [row] = await tx
    .select({ ...meta, content: attachments.content })
    .from(attachments)
    .innerJoin(conversations, and(eq(conversations.accountId, attachments.accountId), eq(conversations.id, attachments.conversationId)))
    .leftJoin(messages, and(eq(messages.accountId, attachments.accountId), eq(messages.id, attachments.messageId)))
    .where(
      and(
        eq(attachments.accountId, accountId),
        eq(attachments.id, id),
        eq(conversations.customerId, customerId),
        sql`(${messages.kind} is distinct from 'note') and (${attachments.messageId} is not null or ${attachments.uploaderCustomerId} = ${customerId})`,
      ),
    );
  if (!row) throw notFound('Attachment');
  return row;
}

/** The stored files of some messages with their bytes (outbound email attaches them). */
export async function readMessageAttachments(tx: Tx, accountId: string, messageId: string) {
  return tx
    .select({ ...meta, content: attachments.content })
    .from(attachments)
    .where(and(eq(attachments.accountId, accountId), eq(attachments.messageId, messageId)))
    .orderBy(attachments.createdAt, attachments.id);
}
