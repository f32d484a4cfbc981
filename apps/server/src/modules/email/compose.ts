import { and, eq } from 'drizzle-orm';
import type Mail from 'nodemailer/lib/mailer';
import type { Tx } from '../../db/client';
import { channels, conversations, customers } from '../../db/schema';
import { readMessageAttachments } from '../attachments';
import type { MessageRow } from '../conversations';
import { domainOf, replyAddress } from './addresses';
import { ensureThreadToken, threadMessageIds, toEmailChannel } from './queries';

/** Our Message-ID for a reply: derived from the message id, so every retry sends the same one. */
export const messageIdFor = (messageId: string, channelAddress: string) => `<${messageId}@${domainOf(channelAddress)}>`;

/** `Re: <subject> [#1042]`: the number lets a customer's reply thread back even without References. */
export function replySubject(subject: string | null, number: number): string {
  const base = (subject ?? '').replace(/\s*\[#\d+\]\s*/g, ' ').trim() || 'Your request';
  return `${/^re:/i.test(base) ? base : `Re: ${base}`} [#${number}]`;
}

export type Composed = { mail: Mail.Options; from: string; to: string; subject: string; messageIdHeader: string } | { error: string };

/**
 * The mail for an outgoing message, sent through the email channel `via` (the message's own, or the account's email
 * channel for a copy of a web chat reply): From the channel's address, Reply-To its `+token` sub-address, In-Reply-To the
 * customer's last mail and References the whole thread, so the customer's client threads it. Bot and system
 * replies say `Auto-Submitted: auto-replied` (RFC 3834) so well-behaved auto-responders do not answer them.
 */
export async function composeReply(tx: Tx, accountId: string, message: MessageRow, via: string = message.channelId): Promise<Composed> {
  const [row] = await tx
    .select({ channel: channels, number: conversations.number, subject: conversations.subject, to: customers.email })
    .from(conversations)
    .innerJoin(channels, and(eq(channels.accountId, conversations.accountId), eq(channels.id, via)))
    .innerJoin(customers, and(eq(customers.accountId, conversations.accountId), eq(customers.id, conversations.customerId)))
    .where(and(eq(conversations.accountId, accountId), eq(conversations.id, message.conversationId)));
  if (!row) return { error: 'The conversation no longer exists' };
  const channel = toEmailChannel(row.channel);
  if (!row.channel.active) return { error: 'The email channel is inactive' };
  if (!channel) return { error: 'The email channel has no valid config.address' };
  if (!row.to) return { error: 'The customer has no email address' };

  const token = await ensureThreadToken(tx, accountId, message.conversationId);
  const messageIdHeader = message.externalId ?? messageIdFor(message.id, channel.address);
  const thread = (await threadMessageIds(tx, accountId, message.conversationId)).filter(
    (m) => m.id !== message.id && m.externalId?.startsWith('<'),
  );
  const lastIncoming = thread.filter((m) => m.kind === 'incoming').at(-1)?.externalId ?? undefined;
  const references = thread.map((m) => m.externalId!).slice(-30);
  const subject = replySubject(row.subject, row.number);
  const automated = message.authorKind === 'bot' || message.authorKind === 'system';
  const files = await readMessageAttachments(tx, accountId, message.id);
  return {
    from: channel.address,
    to: row.to,
    subject,
    messageIdHeader,
    mail: {
      from: { name: channel.fromName ?? channel.name, address: channel.address },
      replyTo: replyAddress(channel.address, token),
      to: row.to,
      subject,
      text: message.body,
      messageId: messageIdHeader,
      ...(lastIncoming ? { inReplyTo: lastIncoming } : {}),
      ...(references.length > 0 ? { references } : {}),
      date: message.createdAt,
      ...(files.length > 0
        ? { attachments: files.map((f) => ({ filename: f.filename, content: f.content, contentType: f.contentType })) }
        : {}),
      headers: { 'X-Touchpoint-Conversation': String(row.number), ...(automated ? { 'Auto-Submitted': 'auto-replied' } : {}) },
    },
  };
}
