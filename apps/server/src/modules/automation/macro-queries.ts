import { decodeCursor, encodeCursor } from '@touchpoint/shared';
import { and, asc, eq, gt, or, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { macros } from '../../db/schema';
import type { Actor } from '../../platform/context';
import { invalid, notFound } from '../../platform/errors';
import { macroPolicy } from './policy';
import type { MacroRow } from './presenters';

/** A macro the actor may see; another person's personal macro is as absent as another tenant's (404). */
export async function getVisibleMacro(tx: Tx, actor: Actor, id: string, opts: { lock?: boolean } = {}): Promise<MacroRow> {
  const q = tx
    .select()
    .from(macros)
    .where(and(eq(macros.accountId, actor.accountId), eq(macros.id, id)));
  const [row] = opts.lock ? await q.for('update') : await q;
  if (!row || !macroPolicy.read(actor, row)) throw notFound('Macro');
  return row;
}

function visibleTo(actor: Actor): SQL {
  const shared = eq(macros.visibility, 'shared');
  return actor.kind === 'user' ? (or(shared, eq(macros.ownerUserId, actor.userId)) as SQL) : shared;
}

/** Shared macros and the caller's personal ones, by name. */
export async function listMacros(tx: Tx, actor: Actor, q: { limit: number; cursor?: string; visibility?: 'personal' | 'shared' }) {
  const conds: SQL[] = [eq(macros.accountId, actor.accountId), visibleTo(actor)];
  if (q.visibility) conds.push(eq(macros.visibility, q.visibility));
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    if (!c || typeof c[0] !== 'string' || typeof c[1] !== 'string') throw invalid('cursor', 'The cursor is malformed');
    conds.push(or(gt(macros.name, c[0]), and(eq(macros.name, c[0]), gt(macros.id, c[1])))!);
  }
  const rows = await tx
    .select()
    .from(macros)
    .where(and(...conds))
    .orderBy(asc(macros.name), asc(macros.id))
    .limit(q.limit + 1);
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > q.limit && last ? encodeCursor([last.name, last.id]) : null };
}
