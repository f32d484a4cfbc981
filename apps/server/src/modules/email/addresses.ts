import { randomBytes } from 'node:crypto';

/** Lower-cased, trimmed address; null when it is not a plausible addr-spec. */
export function normaliseAddress(raw: string | null | undefined): string | null {
  const a = raw?.trim().toLowerCase() ?? '';
  return /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/.test(a) && a.length <= 254 ? a : null;
}

/** 20 base32 characters (100 bits): unguessable, and safe in the local part of an address. */
export function newReplyToken(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return [...randomBytes(20)].map((b) => alphabet[b & 31]).join('');
}

/** `support@acme.test` + token -> `support+<token>@acme.test` (sub-addressing, delivered to the same mailbox). */
export function replyAddress(address: string, token: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}+${token}${address.slice(at)}`;
}

/** The candidates a recipient may be: itself, and (base address, token) when it is sub-addressed. */
export function splitRecipient(address: string): { base: string; token: string | null }[] {
  const out: { base: string; token: string | null }[] = [{ base: address, token: null }];
  const at = address.lastIndexOf('@');
  const plus = address.indexOf('+');
  if (plus > 0 && plus < at) out.push({ base: address.slice(0, plus) + address.slice(at), token: address.slice(plus + 1, at) });
  return out;
}

export const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1);

/** Message-IDs in a header value, angle brackets included (the form mailparser and our externalIds use). */
export function messageIdsIn(value: string | string[] | undefined | null): string[] {
  const joined = Array.isArray(value) ? value.join(' ') : (value ?? '');
  return [...joined.matchAll(/<[^<>\s]{1,500}>/g)].map((m) => m[0]);
}

/** `[#1042]` in a subject: the conversation number our replies put there. */
export function subjectNumber(subject: string | null | undefined): number | null {
  const m = /\[#(\d{1,9})\]/.exec(subject ?? '');
  return m ? Number(m[1]) : null;
}
