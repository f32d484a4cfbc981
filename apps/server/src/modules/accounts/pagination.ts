import { decodeCursor, encodeCursor } from '@touchpoint/shared';
import { invalid } from '../../platform/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Lists here page by their UUIDv7 id (creation order); the cursor is the last id of the previous page. */
export function cursorId(cursor: string | undefined): string | null {
  if (!cursor) return null;
  const id = decodeCursor(cursor)?.[0];
  if (typeof id !== 'string' || !UUID.test(id)) throw invalid('querystring.cursor', 'The cursor is not valid');
  return id;
}

/** Rows were fetched with `limit + 1`: the extra row only says whether another page exists. */
export function toPage<T>(rows: T[], limit: number, idOf: (row: T) => string) {
  const more = rows.length > limit;
  const data = more ? rows.slice(0, limit) : rows;
  return { data, page: { nextCursor: more && data.length > 0 ? encodeCursor([idOf(data[data.length - 1]!)]) : null, limit } };
}
