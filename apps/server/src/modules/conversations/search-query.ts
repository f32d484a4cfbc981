/** A tsquery literal: inside quotes, backslash escapes the next character and '' is a quote. */
const literal = (term: string) => `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

export interface SearchTerm {
  /** For to_tsquery('simple', ...): the parser splits it like the indexed text ("it's" -> it <-> s). */
  parsed: string;
  /** For ::tsquery (no parser): the whole word as one lexeme, so a partial email "ann@exa" still matches. */
  raw: string;
}

/**
 * Turns what a person typed into tsquery pieces that can never fail to parse: every word is quoted as a
 * literal (so `&`, `|`, `!`, `:*`, `<->` and parentheses are just text), every word must match (as parsed or as
 * typed), and the last one also matches as a prefix (search as you type). Empty when nothing is searchable.
 */
export function searchTerms(input: string, maxTerms = 16): SearchTerm[] {
  const words = input
    .split(/\s+/)
    .filter((t) => /[\p{L}\p{N}]/u.test(t))
    .slice(0, maxTerms);
  return words.map((w, i) => {
    const prefix = i === words.length - 1 ? ':*' : '';
    return { parsed: literal(w) + prefix, raw: literal(w.toLowerCase()) + prefix };
  });
}

const MARK_START = '\u0002';
const MARK_END = '\u0003';

/** ts_headline options: control characters as markers, which the HTML escaping below turns into <mark>. */
export const HEADLINE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=35, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

/** The text whose markers become marks; the input's own control markers were stripped in SQL beforehand. */
export function headlineToHtml(headline: string): string {
  return headline
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replaceAll(MARK_START, '<mark>')
    .replaceAll(MARK_END, '</mark>');
}

export const MARKERS = MARK_START + MARK_END;
