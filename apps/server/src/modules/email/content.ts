import { simpleParser } from 'mailparser';
import sanitizeHtml from 'sanitize-html';

export const MAX_BODY_CHARS = 100_000;
export const MAX_HTML_CHARS = 500_000;

/** PostgreSQL text cannot hold NUL, and a mail can carry one anywhere (8-bit headers, broken MIME). */
export const clean = (s: string, max = MAX_BODY_CHARS): string => s.split('\u0000').join('').slice(0, max);

/** Tags kept in a mail's HTML: sanitize-html's defaults without images (remote images are read receipts for the sender). */
const MAIL_TAGS = sanitizeHtml.defaults.allowedTags.filter((t) => t !== 'img');
/** The rel and target every kept link gets (docs/channels.md#email), whatever the mail said. */
export const MAIL_LINK_ATTRIBUTES = { rel: 'noopener noreferrer nofollow', target: '_blank' } as const;

/**
 * The HTML of a mail, safe to show in the agent's browser: sanitize-html's allow-list (no script, style, iframe,
 * form, event handlers or style attributes), links only to http(s)/mailto/tel (no javascript: or data:), opened in a
 * new tab without an opener or referrer, and no images at all. rel and target must be allowed attributes: the
 * transform runs before the attribute filter, which would otherwise strip what it added.
 */
export function sanitizeMailHtml(html: string): string {
  return clean(
    sanitizeHtml(html, {
      allowedTags: MAIL_TAGS,
      allowedAttributes: { a: ['href', 'title', 'rel', 'target'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
      allowedSchemes: ['http', 'https', 'mailto', 'tel'],
      allowProtocolRelative: false,
      disallowedTagsMode: 'discard',
      transformTags: { a: sanitizeHtml.simpleTransform('a', MAIL_LINK_ATTRIBUTES) },
    }),
    MAX_HTML_CHARS,
  );
}

/**
 * The plain text of a mail that has only HTML, built from the sanitised HTML (never the raw one, which may carry
 * javascript: links and hidden script text): links keep their text, and their URL only when it is http(s) or mailto.
 * The conversion is mailparser's own (html-to-text, with its nesting-depth guard), run on a one-part message, so the
 * text reads like the text mailparser gives for any other mail.
 */
export async function textOfMailHtml(sanitised: string): Promise<string> {
  const linksForText = sanitizeHtml(sanitised, {
    allowedTags: MAIL_TAGS,
    allowedAttributes: { a: ['href'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
  });
  const part = Buffer.from(`Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${linksForText}`, 'utf8');
  const mail = await simpleParser(part, { skipImageLinks: true });
  return clean(mail.text ?? '');
}

const QUOTE_HEADERS = [
  /^On .{1,300}wrote:\s*$/, // Gmail, Apple Mail, Thunderbird
  /^Le .{1,300}a écrit\s*:\s*$/,
  /^Am .{1,300}schrieb .{1,200}:\s*$/,
  /^-{2,}\s*Original Message\s*-{2,}\s*$/i, // Outlook
  /^_{10,}\s*$/, // Outlook's rule above "From: ..."
];

/**
 * Splits a plain-text reply from the history it quotes: at a quote header ("On … wrote:") or where only
 * `>`-quoted lines remain. The reply is the message body; the quote is kept for display (metadata.email.quoted).
 */
export function splitQuoted(text: string): { reply: string; quoted: string | null } {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let cut = lines.findIndex((l) => QUOTE_HEADERS.some((re) => re.test(l.trim())));
  if (cut < 0) {
    const firstQuote = lines.findIndex((l) => l.startsWith('>'));
    if (firstQuote >= 0 && lines.slice(firstQuote).every((l) => l.startsWith('>') || l.trim() === '')) cut = firstQuote;
  }
  if (cut < 0) return { reply: text.trim(), quoted: null };
  const reply = lines.slice(0, cut).join('\n').trim();
  const quoted = lines.slice(cut).join('\n').trim();
  // A mail that is nothing but a quote (a forward) keeps everything as its body.
  return reply ? { reply, quoted: quoted || null } : { reply: text.trim(), quoted: null };
}
