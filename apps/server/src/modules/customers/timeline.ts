import { encodeCursor, decodeCursor, type TimelineItem } from '@touchpoint/shared';
import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { invalid } from '../../platform/errors';
import { TIMELINE_SOURCES, type TimelineScope } from './timeline-sources';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

function parseCursor(cursor: string | undefined): { at: string; id: string } | null {
  if (!cursor) return null;
  const v = decodeCursor(cursor);
  if (!v || v.length !== 2 || typeof v[0] !== 'string' || !ISO.test(v[0]) || typeof v[1] !== 'string' || !UUID.test(v[1])) {
    throw invalid('querystring.cursor', 'The cursor is not valid for this timeline; start again without it');
  }
  return { at: v[0], id: v[1] };
}

type Key = {
  kind: string;
  id: string;
  at_key: string;
};

/**
 * Everything about a customer, newest first: ONE union over the sources (conversations, messages, events...),
 * each branch already cut by the keyset and the limit, so a customer with thousands of messages costs one page
 * of index reads. The union yields only (kind, at, id); each source then loads its page's rows by id.
 */
export async function listTimeline(tx: Tx, scope: TimelineScope, page: { limit: number; cursor?: string }) {
  const after = parseCursor(page.cursor);
  const take = page.limit + 1;
  const before = (at: SQL, id: SQL) => (after ? sql`(${at}, ${id}) < (${after.at}::timestamptz, ${after.id}::uuid)` : sql`true`);
  const sources = scope.kind ? TIMELINE_SOURCES.filter((s) => s.kind === scope.kind) : TIMELINE_SOURCES;
  const branches = sources.map((s) => sql`(${s.branch(scope, before, take)})`);
  const result = await tx.execute<Key>(sql`
    select kind, id, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at_key
    from (${sql.join(branches, sql` union all `)}) as timeline
    order by at desc, id desc
    limit ${take}`);
  const keys = result.rows.slice(0, page.limit);
  const more = result.rows.length > page.limit;

  const items: TimelineItem[] = [];
  const loaded = new Map<string, Map<string, TimelineItem>>();
  for (const source of sources) {
    const ids = keys.filter((k) => k.kind === source.kind).map((k) => k.id);
    loaded.set(source.kind, ids.length > 0 ? await source.load(tx, scope, ids) : new Map());
  }
  for (const k of keys) {
    const item = loaded.get(k.kind)?.get(k.id);
    if (item) items.push(item);
  }
  const last = keys.at(-1);
  return { items, nextCursor: more && last ? encodeCursor([last.at_key, last.id]) : null };
}
