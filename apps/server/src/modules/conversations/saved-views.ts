import { decodeCursor, encodeCursor, type SavedView, type SavedViewFilters } from '@touchpoint/shared';
import { and, asc, eq, gt, or, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { savedViews } from '../../db/schema';
import { abilitiesFor } from '../../platform/authz';
import type { Actor } from '../../platform/context';
import { invalid, notFound } from '../../platform/errors';
import { savedViewPolicy } from './policy';

export type SavedViewRow = typeof savedViews.$inferSelect;

export function presentSavedView(row: SavedViewRow): SavedView {
  return {
    id: row.id,
    name: row.name,
    filters: row.filters as SavedViewFilters,
    shared: row.shared,
    ownerUserId: row.ownerUserId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The `policies` field: what the caller may do with each view (the UI shows edit and delete from it). */
export const savedViewPolicies = (actor: Actor, rows: SavedViewRow[]) =>
  rows.map((v) => ({ id: v.id, abilities: abilitiesFor(actor, savedViewPolicy, v) }));

/** A view the actor may see; someone else's personal view is as absent as another account's (404). */
export async function getVisibleSavedView(tx: Tx, actor: Actor, id: string, opts: { lock?: boolean } = {}): Promise<SavedViewRow> {
  const q = tx
    .select()
    .from(savedViews)
    .where(and(eq(savedViews.accountId, actor.accountId), eq(savedViews.id, id)));
  const [row] = opts.lock ? await q.for('update') : await q;
  if (!row || !savedViewPolicy.read(actor, row)) throw notFound('Saved view');
  return row;
}

/** The caller's personal views and the account's shared ones, by name. */
export async function listSavedViews(tx: Tx, actor: Actor, q: { limit: number; cursor?: string }) {
  const visible =
    actor.kind === 'user' ? or(eq(savedViews.shared, true), eq(savedViews.ownerUserId, actor.userId))! : eq(savedViews.shared, true);
  const conds: SQL[] = [eq(savedViews.accountId, actor.accountId), visible];
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    if (!c || typeof c[0] !== 'string' || typeof c[1] !== 'string' || !/^[0-9a-f-]{36}$/i.test(c[1]))
      throw invalid('querystring.cursor', 'The cursor is not valid');
    conds.push(or(gt(savedViews.name, c[0]), and(eq(savedViews.name, c[0]), gt(savedViews.id, c[1])))!);
  }
  const rows = await tx
    .select()
    .from(savedViews)
    .where(and(...conds))
    .orderBy(asc(savedViews.name), asc(savedViews.id))
    .limit(q.limit + 1);
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > q.limit && last ? encodeCursor([last.name, last.id]) : null };
}
