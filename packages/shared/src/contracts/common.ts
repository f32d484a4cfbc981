import { z } from 'zod';

export const ZUuid = z.uuid();

let zoneIndex: Map<string, string> | undefined;

/**
 * An IANA time zone this runtime knows: a name of `Intl.supportedValuesOf('timeZone')`, `UTC`, or an alias
 * `Intl.DateTimeFormat` resolves (`Etc/UTC`, `US/Pacific`). A listed name in the wrong case is refused, so one
 * zone is stored one way.
 */
export function isKnownTimeZone(zone: string): boolean {
  zoneIndex ??= new Map(
    [...(typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []), 'UTC'].map((z) => [z.toLowerCase(), z]),
  );
  const listed = zoneIndex.get(zone.toLowerCase());
  if (listed) return listed === zone;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return /^[A-Za-z]/.test(zone);
  } catch {
    return false;
  }
}

/** Every `timeZone` the API accepts. */
export const ZTimeZone = z
  .string()
  .trim()
  .max(64)
  .refine(isKnownTimeZone, { error: (iss) => `"${String(iss.input)}" is not a known IANA time zone (such as "Europe/Berlin" or "UTC")` });
export const ZIdParams = z.object({ id: z.uuid() });

/** RFC 9457 problem details with a stable `code`. */
export const ZProblem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof ZProblem>;

/** Abilities per entity, so the UI never re-derives permission rules. */
export const ZPolicies = z.array(z.object({ id: z.string(), abilities: z.record(z.string(), z.boolean()) }));

export const ZPageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(500).optional(),
});

export const ZPageInfo = z.object({ nextCursor: z.string().nullable(), limit: z.number().int() });

export const envelope = <T extends z.ZodType>(data: T) => z.object({ data, policies: ZPolicies.optional() });
export const pageEnvelope = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), page: ZPageInfo, policies: ZPolicies.optional() });

/** Opaque keyset cursors: base64url JSON of the last row's sort key. */
export function encodeCursor(values: readonly (string | number | null)[]): string {
  const json = JSON.stringify(values);
  const b64 = typeof btoa === 'function' ? btoa(unescape(encodeURIComponent(json))) : '';
  return b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeCursor(cursor: string): (string | number | null)[] | null {
  try {
    const b64 = cursor.replace(/-/g, '+').replace(/_/g, '/');
    const parsed: unknown = JSON.parse(decodeURIComponent(escape(atob(b64))));
    return Array.isArray(parsed) ? (parsed as (string | number | null)[]) : null;
  } catch {
    return null;
  }
}
