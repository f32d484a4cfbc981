import { decodeCursor, encodeCursor } from '@touchpoint/shared';
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { invalid } from './errors';

/**
 * Keyset pagination, the one helper every list uses: rows are fetched with `limit + 1` (the extra row only says
 * whether another page exists) and the cursor is base64url JSON of the last row's sort key (`encodeCursor`). A
 * cursor that does not decode to the expected key is a 422 on `querystring.cursor`.
 *
 * Two key shapes:
 * - by id (`cursorId` / `toPage`): lists in creation order, paged by their UUIDv7 id;
 * - by (timestamp, id) (`parseKeyset` / `keysetPage`): lists by activity or time, newest first. The timestamp
 *   travels as PostgreSQL's own microsecond text, because a JS Date keeps only milliseconds and rows written by the
 *   database clock (defaultNow) would otherwise be skipped or repeated at page boundaries.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_US = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const badCursor = () => invalid('querystring.cursor', 'The cursor is not valid');

/** The id of the last row of the previous page, or null on the first page. */
export function cursorId(cursor: string | undefined): string | null {
  if (!cursor) return null;
  const id = decodeCursor(cursor)?.[0];
  if (typeof id !== 'string' || !UUID.test(id)) throw badCursor();
  return id;
}

/** A page of rows fetched with `limit + 1`, the cursor being the last row's id. */
export function toPage<T>(rows: T[], limit: number, idOf: (row: T) => string) {
  const more = rows.length > limit;
  const data = more ? rows.slice(0, limit) : rows;
  return { data, page: { nextCursor: more && data.length > 0 ? encodeCursor([idOf(data[data.length - 1]!)]) : null, limit } };
}

export interface Keyset {
  /** Microsecond UTC text (`2026-12-02T12:57:43.940123Z`), as `cursorText` / `cursorTextSql` select it. */
  at: string;
  id: string;
}

const CURSOR_FORMAT = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;
/** The SQL expression of a timestamptz column's cursor text, for hand-written queries; `cursorText` is the drizzle form. */
export const cursorTextSql = (column: string) => `to_char(${column} at time zone 'UTC', ${CURSOR_FORMAT})`;
export const cursorText = (col: AnyColumn) => sql<string>`to_char(${col} at time zone 'UTC', ${sql.raw(CURSOR_FORMAT)})`;

/**
 * Cursor text -> what `Date#toISOString()` prints for the same instant (milliseconds, truncated as a JS Date
 * truncates the microseconds it parses), so a query that selects only cursor texts needs no Date objects.
 */
export const isoOfCursorText = (at: string) => `${at.slice(0, 23)}Z`;

/** The (timestamp, id) key of the previous page's last row, or null on the first page. */
export function parseKeyset(cursor: string | undefined): Keyset | null {
  if (!cursor) return null;
  const [at, id] = decodeCursor(cursor) ?? [];
  if (typeof at !== 'string' || typeof id !== 'string' || !ISO_US.test(at) || !UUID.test(id)) throw badCursor();
  return { at, id };
}

export const encodeKeyset = (k: Keyset) => encodeCursor([k.at, k.id]);

/** Rows strictly after the cursor in (col desc, id desc) order (drizzle form). */
export const beforeKeyset = (col: AnyColumn, idCol: AnyColumn, k: Keyset): SQL =>
  sql`(${col}, ${idCol}) < (${k.at}::timestamptz, ${k.id}::uuid)`;

/** A page of rows fetched with `limit + 1` in (timestamp desc, id desc) order; the cursor is the last row's key. */
export function keysetPage<T>(rows: T[], limit: number, keyOf: (row: T) => Keyset): { items: T[]; nextCursor: string | null } {
  const items = rows.length > limit ? rows.slice(0, limit) : rows;
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeKeyset(keyOf(last)) : null };
}
