import { decodeCursor, encodeCursor } from '@touchpoint/shared';
import { and, asc, desc, eq, gt, lt, or, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { automationRules, automationRuns } from '../../db/schema';
import { invalid, notFound } from '../../platform/errors';
import type { RuleRow } from './presenters';

export async function getRule(tx: Tx, accountId: string, id: string, opts: { lock?: boolean } = {}): Promise<RuleRow> {
  const q = tx
    .select()
    .from(automationRules)
    .where(and(eq(automationRules.accountId, accountId), eq(automationRules.id, id)));
  const [row] = opts.lock ? await q.for('update') : await q;
  if (!row) throw notFound('Automation rule');
  return row;
}

function cursorOf(cursor: string | undefined): [string, string] | null {
  if (!cursor) return null;
  const c = decodeCursor(cursor);
  if (!c || typeof c[0] !== 'string' || typeof c[1] !== 'string') throw invalid('cursor', 'The cursor is malformed');
  return [c[0], c[1]];
}

/** Rules in creation order (ids are time-ordered). */
export async function listRules(tx: Tx, accountId: string, q: { limit: number; cursor?: string }) {
  const c = cursorOf(q.cursor);
  const conds: SQL[] = [eq(automationRules.accountId, accountId)];
  if (c) conds.push(gt(automationRules.id, c[1]));
  const rows = await tx
    .select()
    .from(automationRules)
    .where(and(...conds))
    .orderBy(asc(automationRules.id))
    .limit(q.limit + 1);
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > q.limit && last ? encodeCursor(['id', last.id]) : null };
}

/** A rule's runs, newest first. */
export async function listRuns(tx: Tx, accountId: string, ruleId: string, q: { limit: number; cursor?: string }) {
  const c = cursorOf(q.cursor);
  const conds: SQL[] = [eq(automationRuns.accountId, accountId), eq(automationRuns.ruleId, ruleId)];
  if (c) {
    const at = new Date(c[0]);
    if (Number.isNaN(at.getTime())) throw invalid('cursor', 'The cursor is malformed');
    conds.push(or(lt(automationRuns.createdAt, at), and(eq(automationRuns.createdAt, at), lt(automationRuns.id, c[1])))!);
  }
  const rows = await tx
    .select()
    .from(automationRuns)
    .where(and(...conds))
    .orderBy(desc(automationRuns.createdAt), desc(automationRuns.id))
    .limit(q.limit + 1);
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > q.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null };
}

/** The active rules listening to one event type, oldest first (rules run in creation order). */
export async function activeRulesFor(tx: Tx, accountId: string, eventType: string): Promise<RuleRow[]> {
  return tx
    .select()
    .from(automationRules)
    .where(and(eq(automationRules.accountId, accountId), eq(automationRules.eventType, eventType), eq(automationRules.active, true)))
    .orderBy(asc(automationRules.id));
}
