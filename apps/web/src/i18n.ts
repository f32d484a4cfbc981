/**
 * Message catalogs. Each feature declares its English strings next to its code with `defineMessages`, under a
 * namespace; a translation is a catalog of the same keys registered with `registerLocale`. Missing keys fall back
 * to English, so a partial translation never shows a raw key. `{name}` placeholders are filled from `vars`.
 */
type Catalog = Record<string, string>;

const overrides = new Map<string, Catalog>(); // `${locale}:${namespace}` -> messages
let locale = typeof navigator !== 'undefined' ? navigator.language.split('-')[0]! : 'en';

export function registerLocale(lang: string, namespace: string, messages: Catalog): void {
  overrides.set(`${lang}:${namespace}`, messages);
}

export function setLocale(lang: string): void {
  locale = lang;
}

function fill(text: string, vars?: Record<string, string | number>): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

export type Translate<K extends string> = (key: K, vars?: Record<string, string | number>) => string;

export function defineMessages<const M extends Catalog>(namespace: string, english: M): Translate<Extract<keyof M, string>> {
  return (key, vars) => fill(overrides.get(`${locale}:${namespace}`)?.[key] ?? english[key]!, vars);
}
