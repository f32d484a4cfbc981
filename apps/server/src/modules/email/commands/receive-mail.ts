import type { Tx } from '../../../db/client';
import type { Ctx } from '../../../platform/context';
import { AppError } from '../../../platform/errors';
import { receiveCustomerMessage, type ThreadCandidate, type Threading } from '../../conversations';
import { subjectNumber } from '../addresses';
import type { InboundMail } from '../parse';
import {
  conversationChannelKind,
  findConversationByMessageIds,
  findConversationByNumber,
  findConversationByToken,
  type EmailChannel,
} from '../queries';

export type ThreadMethod = 'references' | 'reply_token' | 'subject_number';

export interface ReceiveResult {
  outcome: 'created' | 'appended' | 'duplicate';
  conversationId: string;
  messageId: string;
}

/** Which conversation a mail answers: its References first, then our reply token, then `[#n]`; never the subject text. */
async function findConversation(tx: Tx, accountId: string, mail: InboundMail, token: string | null): Promise<ThreadCandidate | null> {
  const byRefs = await findConversationByMessageIds(tx, accountId, [...mail.inReplyTo, ...[...mail.references].reverse()]);
  if (byRefs) return { conversationId: byRefs, method: 'references' satisfies ThreadMethod };
  const byToken = token ? await findConversationByToken(tx, accountId, token) : null;
  if (byToken) return { conversationId: byToken, method: 'reply_token' satisfies ThreadMethod };
  const n = subjectNumber(mail.subject);
  const byNumber = n !== null ? await findConversationByNumber(tx, accountId, n) : null;
  return byNumber ? { conversationId: byNumber, method: 'subject_number' satisfies ThreadMethod } : null;
}

/**
 * The thread, and whether it stays on its channel: an answer to a web chat reply that was mailed to the visitor
 * (web-chat-copies.ts) joins the chat without turning it into an email conversation, so the visitor still finds it
 * in the widget (and sees their emailed answer there); the next reply goes by email again if they are still away.
 */
async function findThread(tx: Tx, accountId: string, mail: InboundMail, token: string | null): Promise<ThreadCandidate | null> {
  const found = await findConversation(tx, accountId, mail, token);
  if (!found) return null;
  return (await conversationChannelKind(tx, accountId, found.conversationId)) === 'web' ? { ...found, keepChannel: true } : found;
}

/** What metadata.email records about threading: how the mail joined, or the conversation it pointed at but may not join. */
function threadOf(t: Threading): Record<string, unknown> {
  if (t.kind === 'thread') return { threadedBy: t.method };
  if (t.kind === 'unverified') return { unverifiedThread: { conversationId: t.conversationId, number: t.number, method: t.method } };
  return {};
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
 * A person's mail to an email channel, through the conversations' intake (routing, SLAs, automation and KPIs see an
 * ordinary customer message), in one transaction. It joins the conversation it answers only when the sender is that
 * conversation's customer; anyone else (a colleague in Cc answering, a forged In-Reply-To, a guessed `[#n]`) starts a
 * conversation of their own that records the one it pointed at (metadata.email.unverifiedThread), for an agent to
 * merge by hand. The Message-ID is the message's externalId (unique per channel): a redelivery writes nothing.
 */
export async function receiveMail(ctx: Ctx, channel: EmailChannel, mail: InboundMail, token: string | null): Promise<ReceiveResult> {
  if (!mail.fromAddress) throw new AppError('validation_failed', 'The mail has no valid sender address');
  const r = await receiveCustomerMessage(ctx, {
    channelId: channel.id,
    from: { identities: { email: mail.fromAddress, name: mail.fromName ?? undefined } },
    subject: mail.subject,
    message: { body: mail.body, attachments: mail.attachments, files: mail.files, externalId: mail.messageId },
    // Mail threads by its references, never by "the sender's latest conversation".
    findThread: (tx) => findThread(tx, ctx.accountId, mail, token),
    metadataFor: (t) => metadataOf(mail, threadOf(t)),
  });
  return { outcome: r.outcome, conversationId: r.message.conversationId, messageId: r.message.id };
}
