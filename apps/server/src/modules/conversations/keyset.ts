import { decodeCursor, encodeCursor } from '@touchpoint/shared';
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { invalid } from '../../platform/errors';

/**
 * Keyset cursors on (timestamp, id). The timestamp travels as PostgreSQL's own microsecond text, because a JS
 * Date keeps only milliseconds and rows written by the database clock (defaultNow) would otherwise be skipped
 * or repeated at page boundaries.
 */
export const cursorText = (col: AnyColumn) => sql<string>`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const ISO_US = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Keyset {
  at: string;
  id: string;
}

export function parseKeyset(cursor: string | undefined): Keyset | null {
  if (!cursor) return null;
  const v = decodeCursor(cursor);
  const [at, id] = v ?? [];
  if (typeof at !== 'string' || typeof id !== 'string' || !ISO_US.test(at) || !UUID.test(id))
    throw invalid('cursor', 'The cursor is invalid');
  return { at, id };
}

export const encodeKeyset = (k: Keyset) => encodeCursor([k.at, k.id]);

/** Rows strictly after the cursor in (col desc, id desc) order. */
export const beforeKeyset = (col: AnyColumn, idCol: AnyColumn, k: Keyset): SQL =>
  sql`(${col}, ${idCol}) < (${k.at}::timestamptz, ${k.id}::uuid)`;
