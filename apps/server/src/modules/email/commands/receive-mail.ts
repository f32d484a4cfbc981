import type { Ctx } from '../../../platform/context';
import { AppError, isUniqueViolation } from '../../../platform/errors';
import { command, read } from '../../../platform/tx';
import { createConversation, createMessage } from '../../conversations';
import { resolveCustomer } from '../../customers';
import { subjectNumber } from '../addresses';
import type { InboundMail } from '../parse';
import {
  findConversationByMessageIds,
  findConversationByNumber,
  findConversationByToken,
  findConversationOwner,
  findMessageByExternalId,
  type EmailChannel,
} from '../queries';

const EXTERNAL_ID_KEY = 'messages_external_id_key';

export type ThreadMethod = 'references' | 'reply_token' | 'subject_number';

export interface ReceiveResult {
  outcome: 'created' | 'appended' | 'duplicate';
  conversationId: string;
  messageId: string;
}

/** Which conversation a mail answers: its References first, then our reply token, then `[#n]`; never the subject text. */
async function findThread(ctx: Ctx, mail: InboundMail, token: string | null): Promise<{ id: string; method: ThreadMethod } | null> {
  return read(ctx, async (tx) => {
    const byRefs = await findConversationByMessageIds(tx, ctx.accountId, [...mail.inReplyTo, ...[...mail.references].reverse()]);
    if (byRefs) return { id: byRefs, method: 'references' as const };
    const byToken = token ? await findConversationByToken(tx, ctx.accountId, token) : null;
    if (byToken) return { id: byToken, method: 'reply_token' as const };
    const n = subjectNumber(mail.subject);
    const byNumber = n !== null ? await findConversationByNumber(tx, ctx.accountId, n) : null;
    return byNumber ? { id: byNumber, method: 'subject_number' as const } : null;
  });
}

function metadataOf(mail: InboundMail, thread: Record<string, unknown>) {
  return {
    email: {
      messageId: mail.messageId,
      from: mail.fromAddress,
      fromName: mail.fromName,
      to: mail.to,
      cc: mail.cc,
      subject: mail.subject,
      date: mail.date,
      inReplyTo: mail.inReplyTo,
      references: mail.references.slice(-50),
      html: mail.html,
      quoted: mail.quoted,
      ...(mail.attachmentsOmitted > 0 ? { attachmentsOmitted: mail.attachmentsOmitted } : {}),
      ...thread,
    },
  };
}

/**
 * A person's mail to an email channel, through the conversation commands (routing, SLAs, automation and KPIs see an
 * ordinary customer message). It joins the conversation it answers only when the sender is that conversation's
 * customer; anyone else (a colleague in Cc answering, a forged In-Reply-To, a guessed `[#n]`) starts a conversation
 * of their own that records the one it pointed at (metadata.email.unverifiedThread), for an agent to merge by hand.
 * The Message-ID is the message's externalId (unique per channel): a redelivery writes nothing.
 */
export async function receiveMail(ctx: Ctx, channel: EmailChannel, mail: InboundMail, token: string | null): Promise<ReceiveResult> {
  const known = await read(ctx, (tx) => findMessageByExternalId(tx, ctx.accountId, channel.id, mail.messageId));
  if (known) return { outcome: 'duplicate', conversationId: known.conversationId, messageId: known.id };
  if (!mail.fromAddress) throw new AppError('validation_failed', 'The mail has no valid sender address');
  const { customer } = await command(ctx, (tx) => resolveCustomer(tx, ctx, { email: mail.fromAddress!, name: mail.fromName ?? undefined }));
  const thread = await findThread(ctx, mail, token);
  const owner = thread ? await read(ctx, (tx) => findConversationOwner(tx, ctx.accountId, thread.id)) : null;
  const message = {
    kind: 'incoming' as const,
    channelId: channel.id,
    body: mail.body,
    attachments: mail.attachments,
    files: mail.files,
    externalId: mail.messageId,
  };
  try {
    if (thread && owner && owner.customerId === customer.id) {
      const r = await createMessage(ctx, {
        conversationId: owner.id,
        ...message,
        metadata: metadataOf(mail, { threadedBy: thread.method }),
      });
      return { outcome: 'appended', conversationId: r.conversation.id, messageId: r.message.id };
    }
    const unverified =
      thread && owner ? { unverifiedThread: { conversationId: owner.id, number: owner.number, method: thread.method } } : {};
    const r = await createConversation(ctx, {
      customerId: customer.id,
      channelId: channel.id,
      subject: mail.subject,
      message: { ...message, metadata: metadataOf(mail, unverified) },
    });
    return { outcome: 'created', conversationId: r.conversation.id, messageId: r.message.id };
  } catch (err) {
    // A redelivery racing the first copy loses on the unique key and rolls back whole (conversation included).
    if (!isUniqueViolation(err, EXTERNAL_ID_KEY)) throw err;
    const first = await read(ctx, (tx) => findMessageByExternalId(tx, ctx.accountId, channel.id, mail.messageId));
    if (!first) throw err;
    return { outcome: 'duplicate', conversationId: first.conversationId, messageId: first.id };
  }
}
