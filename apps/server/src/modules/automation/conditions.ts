import type { Condition, ConditionField } from '@touchpoint/shared';

/** What conditions look at: strings (ids, enums, text), the tag list, the VIP flag; null when absent. */
export type Facts = Record<ConditionField, string | string[] | boolean | null>;

export interface ConditionResult {
  condition: Condition;
  matched: boolean;
  actual: unknown;
}

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);

/**
 * One condition against the facts. Text compares case-insensitively. On the tag list, eq/contains mean "has
 * the tag", in means "has any of them", starts_with "has a tag starting with".
 */
export function conditionHolds(c: Condition, facts: Facts): boolean {
  const actual = facts[c.field];
  if (c.op === 'is_set') return !(actual === null || actual === '' || (Array.isArray(actual) && actual.length === 0));
  if (c.op === 'is_empty') return actual === null || actual === '' || (Array.isArray(actual) && actual.length === 0);
  if (typeof actual === 'boolean' || typeof c.value === 'boolean') {
    const eq = actual === c.value;
    return c.op === 'eq' ? eq : c.op === 'neq' ? !eq : false;
  }
  const want = Array.isArray(c.value) ? c.value.map((v) => v.toLowerCase()) : String(c.value ?? '').toLowerCase();
  if (Array.isArray(actual)) {
    const tags = actual.map((t) => t.toLowerCase());
    switch (c.op) {
      case 'eq':
      case 'contains':
        return tags.includes(want as string);
      case 'neq':
      case 'not_contains':
        return !tags.includes(want as string);
      case 'in':
        return (want as string[]).some((w) => tags.includes(w));
      case 'starts_with':
        return tags.some((t) => t.startsWith(want as string));
    }
  }
  const text = actual === null ? null : (lower(actual) as string);
  switch (c.op) {
    case 'eq':
      return text === want;
    case 'neq':
      return text !== want;
    case 'in':
      return text !== null && (want as string[]).includes(text);
    case 'contains':
      return text !== null && text.includes(want as string);
    case 'not_contains':
      return text === null || !text.includes(want as string);
    case 'starts_with':
      return text !== null && text.startsWith(want as string);
  }
}

/** All (or any) of the conditions; no conditions at all always matches. */
export function evaluateConditions(
  match: 'all' | 'any',
  conditions: Condition[],
  facts: Facts,
): { matched: boolean; results: ConditionResult[] } {
  const results = conditions.map((condition) => ({ condition, matched: conditionHolds(condition, facts), actual: facts[condition.field] }));
  if (results.length === 0) return { matched: true, results };
  const matched = match === 'all' ? results.every((r) => r.matched) : results.some((r) => r.matched);
  return { matched, results };
}
