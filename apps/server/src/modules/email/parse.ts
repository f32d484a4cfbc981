import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { normaliseAddress, messageIdsIn } from './addresses';
import { classifyMail, type Classification } from './classify';
import { clean, sanitizeMailHtml, splitQuoted, textOfMailHtml } from './content';
import { refusalOf, type IncomingFile, type RefusalReason } from '../attachments';
import type { AttachmentLimits } from '@touchpoint/shared';

export const MAX_ATTACHMENTS = 20;

/** An attachment that was not stored (too large, of a type not allowed, empty, or past MAX_ATTACHMENTS): listed only. */
export interface AttachmentMeta {
  name: string | null;
  contentType: string;
  size: number;
  inline: boolean;
  stored: false;
  reason: RefusalReason | 'too_many';
}

/** A received mail, reduced to what the intake stores and threads by. */
export interface InboundMail {
  /** The Message-ID, or `<sha256-of-the-bytes@touchpoint.invalid>` when the mail has none (dedupes redelivery). */
  messageId: string;
  inReplyTo: string[];
  references: string[];
  fromAddress: string | null;
  fromName: string | null;
  to: string[];
  cc: string[];
  subject: string | null;
  date: string | null;
  body: string;
  quoted: string | null;
  html: string | null;
  /** The attachments inside the limits, stored with the message (modules/attachments). */
  files: IncomingFile[];
  /** The attachments that were not stored, with the reason (listed on the message so an agent knows they existed). */
  attachments: AttachmentMeta[];
  attachmentsOmitted: number;
  classification: Classification;
  /** Message-IDs named inside a bounce (its returned headers), to find which of our replies bounced. */
  bouncedIds: string[];
  /** Why a bounce says delivery failed, from its delivery-status report: `550 5.1.1 … (recipient)`; null otherwise. */
  bounceReason: string | null;
}

const addresses = (v: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(v) ? v : v ? [v] : [])
    .flatMap((a) => a.value)
    .map((a) => normaliseAddress(a.address))
    .filter((a): a is string => a !== null);

function headerOf(mail: ParsedMail) {
  return (name: string): string | null => {
    const v = mail.headers.get(name);
    if (v === undefined || v === null) return null;
    if (typeof v === 'string') return v;
    if (typeof v === 'object' && 'value' in v && typeof v.value === 'string') return v.value;
    return String(v);
  };
}

/** The full Content-Type with parameters (mailparser keeps them apart). */
function contentTypeOf(mail: ParsedMail): string {
  const v = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | string | undefined;
  if (!v) return 'text/plain';
  if (typeof v === 'string') return v;
  const params = Object.entries(v.params ?? {}).map(([k, p]) => `; ${k}=${p}`);
  return `${v.value ?? 'text/plain'}${params.join('')}`;
}

/** Which attachments are stored (the first MAX_ATTACHMENTS inside the limits) and which are only listed. */
function splitAttachments(list: ParsedMail['attachments'], limits: AttachmentLimits) {
  const files: IncomingFile[] = [];
  const refused: AttachmentMeta[] = [];
  list.slice(0, MAX_ATTACHMENTS).forEach((a, i) => {
    const name = a.filename ? clean(a.filename, 255).replace(/[/\\]/g, '_') : null;
    const contentType = clean(a.contentType, 255).toLowerCase();
    const inline = a.contentDisposition === 'inline';
    const reason = refusalOf(limits, { contentType, size: a.content.length });
    if (reason) refused.push({ name, contentType, size: a.content.length, inline, stored: false, reason });
    else files.push({ filename: name || `attachment-${i + 1}`, contentType, content: a.content, inline });
  });
  return { files, attachments: refused, attachmentsOmitted: Math.max(0, list.length - MAX_ATTACHMENTS) };
}

/**
 * The reason in a DSN's `message/delivery-status` part (RFC 3464): the first failed recipient's Diagnostic-Code
 * (or its Status when there is none), with the recipient. Header folding is undone first.
 */
function bounceReasonOf(list: ParsedMail['attachments']): string | null {
  const report = list.find((a) => /^message\/(global-)?delivery-status/i.test(a.contentType));
  if (!report) return null;
  const fields = report.content.toString('utf8', 0, 64 * 1024).replace(/\r?\n[ \t]+/g, ' ');
  // Per-recipient blocks follow the per-message block, separated by blank lines.
  const blocks = fields.split(/\r?\n\s*\r?\n/).map((b) => {
    const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'im').exec(b)?.[1]?.trim() ?? null;
    return { action: field('Action'), status: field('Status'), diagnostic: field('Diagnostic-Code'), recipient: field('Final-Recipient') };
  });
  const failed = blocks.find((b) => b.action?.toLowerCase() === 'failed') ?? blocks.find((b) => b.diagnostic || b.status);
  if (!failed || !(failed.diagnostic || failed.status)) return null;
  const why = (failed.diagnostic ?? failed.status!).replace(/^smtp;\s*/i, '');
  const who = failed.recipient?.replace(/^rfc822;\s*/i, '');
  return clean(who ? `${why} (${who})` : why, 500);
}

/**
 * Parses raw mail leniently (broken MIME still yields headers and some text); never throws on content. Attachments
 * within `limits` come back as files to store, the others as a listing with the reason they were not kept.
 */
export async function parseMail(raw: Buffer, envelopeFrom: string, limits: AttachmentLimits): Promise<InboundMail> {
  // No HTML-to-text conversion of the raw HTML: its text would keep javascript: links and the like. A mail without a
  // text part gets its text from the sanitised HTML instead (textOfMailHtml).
  const mail = await simpleParser(raw, { skipImageLinks: true, keepDeliveryStatus: true, checksumAlgo: false, skipHtmlToText: true });
  const header = headerOf(mail);
  const from = mail.from?.value[0];
  const fromAddress = normaliseAddress(from?.address) ?? normaliseAddress(envelopeFrom);
  const classification = classifyMail({ envelopeFrom, fromAddress, contentType: contentTypeOf(mail), header });
  const own = messageIdsIn(mail.messageId)[0];
  const html = typeof mail.html === 'string' && mail.html ? sanitizeMailHtml(mail.html) : null;
  const plain = clean(mail.text || '');
  const text = !plain.trim() && html ? await textOfMailHtml(html) : plain;
  const { reply, quoted } = splitQuoted(text);
  const bouncedIds =
    classification.kind === 'bounce'
      ? mail.attachments
          .filter((a) => /^(message\/rfc822|text\/rfc822-headers|message\/rfc822-headers)/i.test(a.contentType))
          .flatMap((a) => messageIdsIn(/^message-id:\s*(.+)$/im.exec(a.content.toString('utf8', 0, 64 * 1024))?.[1]))
      : [];
  const attachments = mail.attachments.filter((a) => !/^(message\/delivery-status)/i.test(a.contentType));
  return {
    messageId: own ? clean(own, 500) : `<${createHash('sha256').update(raw).digest('hex')}@touchpoint.invalid>`,
    inReplyTo: messageIdsIn(mail.inReplyTo),
    references: messageIdsIn(mail.references),
    fromAddress,
    fromName: from?.name ? clean(from.name, 200) : null,
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    subject: mail.subject ? clean(mail.subject, 500) : null,
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null,
    body: reply,
    quoted,
    html,
    ...splitAttachments(attachments, limits),
    classification,
    bouncedIds,
    bounceReason: classification.kind === 'bounce' ? bounceReasonOf(mail.attachments) : null,
  };
}
