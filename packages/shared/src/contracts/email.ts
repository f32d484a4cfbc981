import { z } from 'zod';
import { envelope, pageEnvelope, ZPageQuery } from './common';

// Contracts of the email channel (docs/channels.md#email): the config of a channel of kind 'email', and the
// development outbox where outgoing mail lands when no SMTP relay is configured.

export const IMAP_MIN_POLL_SECONDS = 15;
export const IMAP_AFTER_PROCESSING = ['seen', 'move'] as const;

/**
 * `config.imap` of an email channel: a mailbox hosted elsewhere, polled instead of (or besides) the SMTP intake.
 * Defaults are applied when it is read: port 993 (`secure`, implicit TLS) or 143, mailbox INBOX, every 60 s, and
 * `\Seen` after a mail is stored. `password` is a secret: the channels API answers `hasPassword` instead.
 */
export const ZEmailImapConfig = z
  .object({
    host: z.string().trim().min(1).max(253),
    port: z.number().int().min(1).max(65535).optional(),
    secure: z.boolean().default(true),
    user: z.string().min(1).max(320),
    password: z.string().min(1).max(1024),
    mailbox: z.string().min(1).max(200).default('INBOX'),
    pollSeconds: z.number().int().min(IMAP_MIN_POLL_SECONDS).max(86_400).default(60),
    afterProcessing: z.enum(IMAP_AFTER_PROCESSING).default('seen'),
    moveTo: z.string().min(1).max(200).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.afterProcessing === 'move' && !c.moveTo)
      ctx.addIssue({ code: 'custom', path: ['moveTo'], message: "moveTo is required when afterProcessing is 'move'" });
    if (c.afterProcessing === 'move' && c.moveTo === c.mailbox)
      ctx.addIssue({ code: 'custom', path: ['moveTo'], message: 'moveTo must be another folder than mailbox' });
  });
export type EmailImapConfig = z.infer<typeof ZEmailImapConfig>;

/** `config` of a channel of kind 'email': the address customers write to, and the display name of our replies. */
export const ZEmailChannelConfig = z.object({
  address: z.email().max(254),
  fromName: z.string().min(1).max(200).optional(),
  imap: ZEmailImapConfig.optional(),
});
export type EmailChannelConfig = z.infer<typeof ZEmailChannelConfig>;

/** The channel config as the API shows it: `imap.password` replaced by `imap.hasPassword`. */
export function publicChannelConfig(kind: string, config: Record<string, unknown>): Record<string, unknown> {
  const imap = config.imap;
  if (kind !== 'email' || typeof imap !== 'object' || imap === null || Array.isArray(imap)) return config;
  const { password, ...rest } = imap as Record<string, unknown>;
  return { ...config, imap: { ...rest, hasPassword: typeof password === 'string' && password.length > 0 } };
}

/** A message the last polls could not store (or mark/move after storing); it stays unseen in the mailbox. */
export const ZEmailImapFailure = z.object({
  uid: z.number(),
  error: z.string(),
  attempts: z.number(),
  /** No more retries: a permanent refusal (no sender, too big) or the last of the attempts failed. */
  gaveUp: z.boolean(),
  at: z.string(),
});

/** How polling an email channel's IMAP mailbox went, so an admin sees why mail stopped. */
export const ZEmailImapStatus = z.object({
  lastPollAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  /** The last poll's error (connection, login, mailbox, or a summary of the messages it could not store). */
  lastError: z.string().nullable(),
  /** Messages stored by the last poll (new conversations, replies, duplicates, bounces and auto-replies). */
  lastFetched: z.number().nullable(),
  failures: z.array(ZEmailImapFailure),
});
export type EmailImapStatus = z.infer<typeof ZEmailImapStatus>;

export const ZEmailImapPollResult = z.object({
  fetched: z.number(),
  failed: z.number(),
  status: ZEmailImapStatus,
});
export const ZEmailImapPollEnvelope = envelope(ZEmailImapPollResult);

/** `POST /channels/:id/email/imap/test`: whether Touchpoint can reach, log in and open the mailbox, and if not why. */
export const ZEmailImapTestResult = z.object({
  ok: z.boolean(),
  /** Where it failed: connecting (DNS, TCP, TLS), logging in, opening `mailbox`, or finding `moveTo`. */
  stage: z.enum(['config', 'connect', 'login', 'mailbox', 'move_to']).nullable(),
  error: z.string().nullable(),
  mailbox: z.object({ path: z.string(), messages: z.number(), uidValidity: z.string(), uidNext: z.number() }).nullable(),
  capabilities: z.array(z.string()),
});
export type EmailImapTestResult = z.infer<typeof ZEmailImapTestResult>;
export const ZEmailImapTestEnvelope = envelope(ZEmailImapTestResult);
export const ZEmailChannelParams = z.object({ id: z.uuid() });

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

/** How a mail found the conversation it answers (docs/channels.md#email-in-the-smtp-intake, "Threading"). */
export const EMAIL_THREAD_METHODS = ['references', 'reply_token', 'subject_number'] as const;
export const ZEmailThreadMethod = z.enum(EMAIL_THREAD_METHODS);
export type EmailThreadMethod = z.infer<typeof ZEmailThreadMethod>;

/** The conversation a mail pointed at but was not let into, because its sender is not that conversation's customer. */
export const ZEmailUnverifiedThread = z.object({ conversationId: z.string(), number: z.number(), method: ZEmailThreadMethod });

/** A bounce or auto-reply that was received and kept out of conversations (email_automated_messages). */
export const ZEmailAutomated = z.object({
  id: z.string(),
  channelId: z.string(),
  kind: z.enum(EMAIL_AUTOMATED_KINDS),
  /** The signal that classified it, e.g. `Auto-Submitted: auto-replied`, `multipart/report`, `null sender`. */
  reason: z.string(),
  from: z.string().nullable(),
  subject: z.string().nullable(),
  /** Its Message-ID (angle brackets included), or a hash of its bytes when it had none. */
  messageIdHeader: z.string(),
  /** The conversation it refers to (by its References or the Message-IDs returned in a bounce), if any. */
  conversationId: z.string().nullable(),
  conversationNumber: z.number().nullable(),
  /** For a bounce of one of our replies: that reply (marked failed). */
  bouncedMessageId: z.string().nullable(),
  receivedAt: z.string(),
});
export type EmailAutomated = z.infer<typeof ZEmailAutomated>;
export const ZEmailAutomatedPage = pageEnvelope(ZEmailAutomated);
export const ZListEmailAutomatedQuery = ZPageQuery.extend({
  kind: z.enum(EMAIL_AUTOMATED_KINDS).optional(),
  conversationId: z.uuid().optional(),
});
export type ListEmailAutomatedQuery = z.infer<typeof ZListEmailAutomatedQuery>;

/**
 * `GET /conversations/:id/messages/:messageId/email`: what the mail of a message was. For a customer's mail, its
 * headers, sanitised HTML, the quoted history cut from the body and how it was threaded; for one of our replies, its
 * Message-ID and why it was not delivered (the delivery error and the bounce that came back, if any).
 */
export const ZEmailMessageDetails = z.object({
  id: z.string(),
  conversationId: z.string(),
  channelId: z.string(),
  kind: z.enum(['incoming', 'outgoing']),
  /** The RFC 5322 Message-ID (angle brackets included); null for a reply not queued for sending yet. */
  messageId: z.string().nullable(),
  from: z.string().nullable(),
  fromName: z.string().nullable(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  subject: z.string().nullable(),
  /** The mail's Date header (ISO 8601), when it had a valid one. */
  date: z.string().nullable(),
  inReplyTo: z.array(z.string()),
  references: z.array(z.string()),
  /** The HTML part, sanitised (docs/channels.md#email): render it only in a sandboxed frame. */
  html: z.string().nullable(),
  /** The quoted history cut off the message body (`On … wrote:` and below). */
  quoted: z.string().nullable(),
  /** How it joined its conversation; null when it started one. */
  threadedBy: ZEmailThreadMethod.nullable(),
  /** The conversation it claimed to answer but was kept out of (its sender is not that conversation's customer). */
  unverifiedThread: ZEmailUnverifiedThread.nullable(),
  /** Attachments past the per-mail maximum, neither stored nor listed. */
  attachmentsOmitted: z.number(),
  deliveryStatus: z.string().nullable(),
  /** Why our reply failed (relay refusal, `Bounced: …`); null otherwise. */
  deliveryError: z.string().nullable(),
  /** The newest bounce received for our reply. */
  bounce: ZEmailAutomated.nullable(),
});
export type EmailMessageDetails = z.infer<typeof ZEmailMessageDetails>;
export const ZEmailMessageDetailsEnvelope = envelope(ZEmailMessageDetails);
export const ZEmailMessageParams = z.object({ id: z.uuid(), messageId: z.uuid() });
