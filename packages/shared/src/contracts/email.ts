import { z } from 'zod';
import { pageEnvelope, ZPageQuery } from './common';

// Contracts of the email channel (docs/channels.md#email): the config of a channel of kind 'email', and the
// development outbox where outgoing mail lands when no SMTP relay is configured.

/** `config` of a channel of kind 'email': the address customers write to, and the display name of our replies. */
export const ZEmailChannelConfig = z.object({
  address: z.email().max(254),
  fromName: z.string().min(1).max(200).optional(),
});
export type EmailChannelConfig = z.infer<typeof ZEmailChannelConfig>;

/** Mail that is recognised as automated is kept out of conversations (no customer message, no auto-reply loop). */
export const EMAIL_AUTOMATED_KINDS = ['bounce', 'auto_reply'] as const;
export type EmailAutomatedKind = (typeof EMAIL_AUTOMATED_KINDS)[number];

/** One outgoing mail written to the development outbox instead of a relay. */
export const ZOutboxEmail = z.object({
  id: z.string(),
  messageId: z.string(),
  conversationId: z.string(),
  channelId: z.string(),
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  /** The RFC 5322 Message-ID header (angle brackets included), also the message's externalId. */
  messageIdHeader: z.string(),
  /** The whole message as it would have gone to the relay (.eml). */
  raw: z.string(),
  createdAt: z.string(),
});
export type OutboxEmail = z.infer<typeof ZOutboxEmail>;
export const ZOutboxEmailPage = pageEnvelope(ZOutboxEmail);
export const ZListOutboxQuery = ZPageQuery;
export type ListOutboxQuery = z.infer<typeof ZListOutboxQuery>;
