import { decodeCursor, encodeCursor, type CustomerNote } from '@touchpoint/shared';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { customerNotes } from '../../db/schema';
import { abilitiesFor } from '../../platform/authz';
import type { Actor } from '../../platform/context';
import { invalid } from '../../platform/errors';
import { customerNotePolicy } from './policy';
import { preciseIso } from './queries';

export type NoteRow = typeof customerNotes.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

export function presentNote(row: NoteRow): CustomerNote {
  return {
    id: row.id,
    customerId: row.customerId,
    authorUserId: row.authorUserId,
    body: row.body,
    createdAt: row.createdAt.toISOString(),
  };
}

export const notePoliciesFor = (actor: Actor, rows: NoteRow[]) =>
  rows.map((r) => ({ id: r.id, abilities: abilitiesFor(actor, customerNotePolicy, r) }));

export async function findNote(tx: Tx, accountId: string, customerId: string, noteId: string): Promise<NoteRow | null> {
  const [row] = await tx
    .select()
    .from(customerNotes)
    .where(and(eq(customerNotes.accountId, accountId), eq(customerNotes.customerId, customerId), eq(customerNotes.id, noteId)));
  return row ?? null;
}

/** Notes of one customer, newest first, keyset paginated on (createdAt, id); a foreign cursor is a 422. */
export async function listNotes(tx: Tx, accountId: string, customerId: string, page: { limit: number; cursor?: string }) {
  let after: { at: string; id: string } | null = null;
  if (page.cursor) {
    const v = decodeCursor(page.cursor);
    if (!v || v.length !== 2 || typeof v[0] !== 'string' || !ISO.test(v[0]) || typeof v[1] !== 'string' || !UUID.test(v[1])) {
      throw invalid('querystring.cursor', 'The cursor is not valid for this list; start again without it');
    }
    after = { at: v[0], id: v[1] };
  }
  const rows = await tx
    .select({ row: customerNotes, at: preciseIso(customerNotes.createdAt) })
    .from(customerNotes)
    .where(
      and(
        eq(customerNotes.accountId, accountId),
        eq(customerNotes.customerId, customerId),
        after ? sql`(${customerNotes.createdAt}, ${customerNotes.id}) < (${after.at}::timestamptz, ${after.id}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(customerNotes.createdAt), desc(customerNotes.id))
    .limit(page.limit + 1);
  const more = rows.length > page.limit;
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return { items: items.map((r) => r.row), nextCursor: more && last ? encodeCursor([last.at, last.row.id]) : null };
}
