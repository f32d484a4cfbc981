import { normaliseChannelHandle, normaliseEmail, normaliseExternalId, type IdentityKind } from '@touchpoint/shared';
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * Phone numbers live here rather than in packages/shared: E.164 needs libphonenumber-js's numbering plan
 * metadata, which only the server depends on.
 */
export const DEFAULT_PHONE_COUNTRY = 'US';

/** E.164 (`+14155550100`), or null when the text is not a valid number. Numbers without `+` are read as national numbers of `defaultCountry`. */
export function normalisePhone(raw: string, defaultCountry: string = DEFAULT_PHONE_COUNTRY): string | null {
  const text = raw.trim();
  if (text.length === 0 || text.length > 64) return null;
  const country: CountryCode = isSupportedCountry(defaultCountry) ? defaultCountry : DEFAULT_PHONE_COUNTRY;
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: country });
  return parsed?.isValid() ? parsed.number : null;
}

export type NormalisedIdentity = { ok: true; value: string } | { ok: false; message: string };

const MESSAGES: Record<IdentityKind, string> = {
  email: 'Not a valid email address',
  phone: 'Not a valid phone number: use the international format (+14155550100) or a number of the account’s country',
  external_id: 'An external id must be 1 to 255 characters without control characters',
  channel_handle: 'A channel handle must be 1 to 255 characters without control characters',
};

/** The value an identity is stored and compared by, or a message saying why it cannot be one. */
export function normaliseIdentity(kind: IdentityKind, value: string, defaultCountry: string = DEFAULT_PHONE_COUNTRY): NormalisedIdentity {
  const normalised =
    kind === 'email'
      ? normaliseEmail(value)
      : kind === 'phone'
        ? normalisePhone(value, defaultCountry)
        : kind === 'external_id'
          ? normaliseExternalId(value)
          : normaliseChannelHandle(value);
  return normalised === null ? { ok: false, message: MESSAGES[kind] } : { ok: true, value: normalised };
}
