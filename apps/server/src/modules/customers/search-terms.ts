import { normaliseEmail } from '@touchpoint/shared';
import { getCountryCallingCode, isSupportedCountry } from 'libphonenumber-js';
import { normalisePhone } from './normalise';

/** What a search box text means for each way of matching a customer; every value is bound as a parameter. */
export interface SearchTerms {
  /** Exact identity matches rank first. */
  exactEmail: string | null;
  exactPhone: string | null;
  exactExternalId: string;
  /** LIKE patterns with % and _ escaped. */
  textPrefix: string;
  /** `+<digits>%` patterns over E.164 numbers: as typed, and as a national number of the account's country. */
  phonePrefixes: string[];
  /**
   * `%<digits>%` patterns: the typed digits anywhere in an E.164 number, whatever spaces, dashes, brackets or `+`
   * the text had (`5550123` finds `+1 (555) 012-3456`); a national trunk `0` is also tried without it.
   */
  phoneDigits: string[];
  /** LIKE prefix over the email domain (`acme.com` or `@acme` finds everyone at acme.com), when the text is a domain. */
  emailDomainPrefix: string | null;
  /** A to_tsquery string built only from letters and digits: `ann:* & smith:*`. */
  tsQuery: string | null;
}

const MAX_TERMS = 8;
const PHONE_LIKE = /^[\d\s+().-]+$/;
/** Fewer digits than this match too many numbers to be useful anywhere inside one (a prefix still applies). */
const MIN_DIGITS_ANYWHERE = 4;
/** `@acme`, `@acme.com`, `acme.com`, `mail.acme.co.uk`: a domain (or its start) with no local part. */
const DOMAIN_LIKE = /^(@[\p{L}\p{N}-][\p{L}\p{N}.-]*|[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]*)+)$/u;

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Full-text query from user text. Everything but letters and digits separates terms, so tsquery operators
 * (& | ! ( ) : * < ->) and quotes can never reach the parser; each term matches as a prefix.
 */
export function toPrefixTsQuery(text: string): string | null {
  const terms =
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  const unique = [...new Set(terms.map((t) => t.slice(0, 64)))].slice(0, MAX_TERMS);
  return unique.length > 0 ? unique.map((t) => `${t}:*`).join(' & ') : null;
}

export function searchTermsOf(q: string, country: string): SearchTerms {
  const text = q.trim();
  const digits = text.replace(/\D/g, '');
  const phonePrefixes: string[] = [];
  if (PHONE_LIKE.test(text) && digits.length >= 3) {
    phonePrefixes.push(`+${digits}%`);
    if (!text.startsWith('+') && isSupportedCountry(country)) {
      phonePrefixes.push(`+${getCountryCallingCode(country)}${digits.replace(/^0/, '')}%`);
    }
  }
  const phoneDigits: string[] = [];
  if (PHONE_LIKE.test(text) && digits.length >= MIN_DIGITS_ANYWHERE) {
    phoneDigits.push(`%${digits}%`);
    const national = digits.replace(/^0+/, '');
    if (national !== digits && national.length >= MIN_DIGITS_ANYWHERE) phoneDigits.push(`%${national}%`);
  }
  const domain = DOMAIN_LIKE.test(text) ? text.replace(/^@/, '').toLowerCase() : '';
  return {
    phoneDigits,
    emailDomainPrefix: domain ? `${escapeLike(domain)}%` : null,
    exactEmail: text.includes('@') ? normaliseEmail(text) : null,
    exactPhone: PHONE_LIKE.test(text) && digits.length >= 7 ? normalisePhone(text, country) : null,
    exactExternalId: text,
    textPrefix: `${escapeLike(text.toLowerCase())}%`,
    phonePrefixes,
    tsQuery: toPrefixTsQuery(text),
  };
}
