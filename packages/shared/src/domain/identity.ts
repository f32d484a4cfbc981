/**
 * Normalisation of the ways a customer is recognised (pure, no I/O). Identities are compared by their
 * normalised value, so "Ann@Example.COM " and "ann@example.com" are one person.
 *
 * Phone numbers are normalised on the server (modules/customers/normalise.ts): E.164 needs the numbering plan
 * metadata of libphonenumber-js, and this package depends on zod only.
 */
export const IDENTITY_KINDS = ['email', 'phone', 'external_id', 'channel_handle'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

/** Long enough for every real address (RFC 5321 path limit), short enough to keep indexes small. */
export const MAX_EMAIL_LENGTH = 254;
export const MAX_EXTERNAL_ID_LENGTH = 255;

// Deliberately permissive on the local part (customers type odd but deliverable addresses), strict on shape:
// one @, no whitespace or control characters, a dotted domain of letters, digits and hyphens.
const EMAIL_SHAPE = /^[^\s@\p{Cc}]{1,64}@(?=.{1,253}$)(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}\p{N}]{2,63}$/u;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Trimmed and lower-cased email, or null when it is not a plausible address. */
export function normaliseEmail(raw: string): string | null {
  const value = raw.normalize('NFC').trim().toLowerCase();
  if (value.length === 0 || value.length > MAX_EMAIL_LENGTH) return null;
  return EMAIL_SHAPE.test(value) ? value : null;
}

/** Ids chosen by another system (CRM, shop, channel): compared exactly, only surrounding space is dropped. */
export function normaliseExternalId(raw: string): string | null {
  const value = raw.normalize('NFC').trim();
  if (value.length === 0 || value.length > MAX_EXTERNAL_ID_LENGTH || CONTROL.test(value)) return null;
  return value;
}

/** A handle within one channel (a chat user id, "@ann"); case matters on some channels, so it is kept. */
export const normaliseChannelHandle = normaliseExternalId;
