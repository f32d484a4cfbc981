import type { EmailAutomatedKind } from '@touchpoint/shared';

/** What the intake needs from a parsed mail to tell automated mail from a person's (headers lower-cased). */
export interface ClassifyInput {
  /** The envelope sender (MAIL FROM); '' for the null sender `<>`. */
  envelopeFrom: string;
  fromAddress: string | null;
  contentType: string;
  header(name: string): string | null;
}

export type Classification = { kind: 'person' } | { kind: EmailAutomatedKind; reason: string };

const DAEMON = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;

/**
 * Bounces (RFC 3464 DSNs, MAILER-DAEMON, the null sender) and automatic mail (RFC 3834 Auto-Submitted, the
 * de-facto X-Autoreply/X-Autorespond, Precedence bulk|junk|list, mailing lists). Neither may become a customer
 * message: a reply to either is how two auto-responders end up mailing each other forever.
 */
export function classifyMail(m: ClassifyInput): Classification {
  const ct = m.contentType.toLowerCase();
  if (ct.startsWith('multipart/report') && /report-type\s*=\s*"?delivery-status/.test(ct))
    return { kind: 'bounce', reason: 'multipart/report; report-type=delivery-status' };
  if (m.fromAddress && DAEMON.test(m.fromAddress)) return { kind: 'bounce', reason: `From: ${m.fromAddress}` };
  if (DAEMON.test(m.envelopeFrom)) return { kind: 'bounce', reason: `MAIL FROM:<${m.envelopeFrom}>` };

  const auto = m.header('auto-submitted')?.trim().toLowerCase();
  if (auto && !auto.startsWith('no')) return { kind: 'auto_reply', reason: `Auto-Submitted: ${auto}` };
  if (m.header('x-autoreply') !== null) return { kind: 'auto_reply', reason: 'X-Autoreply' };
  if (m.header('x-autorespond') !== null) return { kind: 'auto_reply', reason: 'X-Autorespond' };
  const precedence = m.header('precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence))
    return { kind: 'auto_reply', reason: `Precedence: ${precedence}` };
  if (m.header('list-id') !== null) return { kind: 'auto_reply', reason: 'List-Id' };

  // The null sender is reserved for mail that must never be answered (RFC 5321 §4.5.5): bounces and auto-replies.
  const returnPath = m.header('return-path')?.trim();
  if (m.envelopeFrom === '' || returnPath === '<>') return { kind: 'bounce', reason: 'null sender (MAIL FROM:<>)' };
  return { kind: 'person' };
}
