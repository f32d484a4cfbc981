import { ZEmailThreadMethod, ZEmailUnverifiedThread, type EmailAutomated, type EmailMessageDetails } from '@touchpoint/shared';
import { z } from 'zod';
import type { AutomatedRow, MessageWithChannel } from './queries-details';

export const presentAutomated = (r: AutomatedRow): EmailAutomated => ({
  id: r.id,
  channelId: r.channelId,
  kind: r.kind as EmailAutomated['kind'],
  reason: r.reason,
  from: r.fromAddress,
  subject: r.subject,
  messageIdHeader: r.messageIdHeader,
  conversationId: r.conversationId,
  conversationNumber: r.conversationNumber,
  bouncedMessageId: r.bouncedMessageId,
  receivedAt: r.createdAt.toISOString(),
});

// metadata.email as the intake writes it. Read field by field, each falling back on its own, so one odd value in an
// old row (or one written by an import) never hides the rest.
const text = z.string().nullable().catch(null);
const texts = z.array(z.string()).catch([]);
const ZStoredEmail = z.object({
  messageId: text,
  from: text,
  fromName: text,
  to: texts,
  cc: texts,
  subject: text,
  date: text,
  inReplyTo: texts,
  references: texts,
  html: text,
  quoted: text,
  threadedBy: ZEmailThreadMethod.nullable().catch(null),
  unverifiedThread: ZEmailUnverifiedThread.nullable().catch(null),
  attachmentsOmitted: z.number().int().min(0).catch(0),
});

/** metadata.email of a message, or null when it has none (not a mail). */
export function storedEmailOf(metadata: Record<string, unknown>) {
  const email = metadata.email;
  if (typeof email !== 'object' || email === null || Array.isArray(email)) return null;
  return ZStoredEmail.parse(email);
}

/** The email side of a message: the customer's mail as received, or our reply with its delivery outcome. */
export function presentEmailDetails(m: MessageWithChannel, bounce: AutomatedRow | null): EmailMessageDetails {
  const email = storedEmailOf(m.metadata);
  const deliveryError = typeof m.metadata.deliveryError === 'string' ? m.metadata.deliveryError : null;
  return {
    id: m.id,
    conversationId: m.conversationId,
    channelId: m.channelId,
    kind: m.kind === 'incoming' ? 'incoming' : 'outgoing',
    messageId: email?.messageId ?? m.externalId,
    from: email?.from ?? null,
    fromName: email?.fromName ?? null,
    to: email?.to ?? [],
    cc: email?.cc ?? [],
    subject: email?.subject ?? null,
    date: email?.date ?? null,
    inReplyTo: email?.inReplyTo ?? [],
    references: email?.references ?? [],
    html: email?.html ?? null,
    quoted: email?.quoted ?? null,
    threadedBy: email?.threadedBy ?? null,
    unverifiedThread: email?.unverifiedThread ?? null,
    attachmentsOmitted: email?.attachmentsOmitted ?? 0,
    deliveryStatus: m.deliveryStatus,
    deliveryError,
    bounce: bounce ? presentAutomated(bounce) : null,
  };
}
