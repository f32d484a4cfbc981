import { decodeCursor, encodeCursor, type MergeSuggestion, type MergeSuggestionReason } from '@touchpoint/shared';
import { and, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { customerMergeSuggestions, customers } from '../../db/schema';
import type { Ctx } from '../../platform/context';
import { invalid, notFound } from '../../platform/errors';
import { emit } from '../../platform/events';
import { customerColumns, presentCustomer, type CustomerRow } from './presenters';
import { preciseIso } from './queries';

export type SuggestionRow = typeof customerMergeSuggestions.$inferSelect;

/** Enough evidence to explain a suggestion; more of the same adds nothing an agent would read. */
const MAX_REASONS = 20;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentSuggestion(row: SuggestionRow, customer: CustomerRow, candidate: CustomerRow): MergeSuggestion {
  return {
    id: row.id,
    status: row.status as MergeSuggestion['status'],
    customer: presentCustomer(customer),
    candidate: presentCustomer(candidate),
    reasons: row.reasons,
    createdAt: row.createdAt.toISOString(),
    decidedAt: iso(row.decidedAt),
    decidedByUserId: row.decidedByUserId,
  };
}

/** Suggestion rows with both profiles, in the order given. */
export async function withProfiles(tx: Tx, accountId: string, rows: SuggestionRow[]): Promise<MergeSuggestion[]> {
  if (rows.length === 0) return [];
  const ids = [...new Set(rows.flatMap((r) => [r.customerId, r.candidateId]))];
  const profiles = await tx
    .select(customerColumns)
    .from(customers)
    .where(and(eq(customers.accountId, accountId), inArray(customers.id, ids)));
  const byId = new Map(profiles.map((p) => [p.id, p]));
  return rows.flatMap((r) => {
    const a = byId.get(r.customerId);
    const b = byId.get(r.candidateId);
    return a && b ? [presentSuggestion(r, a, b)] : [];
  });
}

function addReason(reasons: MergeSuggestionReason[], reason: MergeSuggestionReason): MergeSuggestionReason[] | null {
  const same = (r: MergeSuggestionReason) => r.kind === reason.kind && r.value === reason.value && r.source === reason.source;
  if (reasons.some(same) || reasons.length >= MAX_REASONS) return null;
  return [...reasons, reason];
}

async function findPair(
  tx: Tx,
  accountId: string,
  a: string,
  b: string,
  status: 'open' | 'dismissed' = 'open',
): Promise<SuggestionRow | null> {
  const [row] = await tx
    .select()
    .from(customerMergeSuggestions)
    .where(
      and(
        eq(customerMergeSuggestions.accountId, accountId),
        eq(customerMergeSuggestions.status, status),
        or(
          and(eq(customerMergeSuggestions.customerId, a), eq(customerMergeSuggestions.candidateId, b)),
          and(eq(customerMergeSuggestions.customerId, b), eq(customerMergeSuggestions.candidateId, a)),
        ),
      ),
    )
    .limit(1)
    .for('update');
  return row ?? null;
}

/** Serialises suggesting the same pair (either way round), so two claims at once make one suggestion. */
async function lockPairKey(tx: Tx, accountId: string, a: string, b: string): Promise<void> {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`merge-suggestion|${accountId}|${lo}|${hi}`}, 0))`);
}

/**
 * Records that `customerId` and `candidateId` share an identity: opens a suggestion, or adds the reason to the
 * open one of the pair (idempotent: the same reason twice changes nothing). A pair an agent dismissed is not
 * suggested again. The candidate is locked and, if it
 * was merged meanwhile, followed to its survivor, so a suggestion never points at a merged-away profile.
 * Emits `customer.merge_suggested` only when a suggestion opens. Returns null when the two are one profile.
 */
export async function suggestMerge(
  tx: Tx,
  ctx: Ctx,
  customerId: string,
  candidateId: string,
  reason: Omit<MergeSuggestionReason, 'at'>,
): Promise<{ id: string; created: boolean } | null> {
  const acc = ctx.accountId;
  let candidate: CustomerRow | undefined;
  for (let id: string | null = candidateId, hops = 0; id && hops < 5; hops++) {
    [candidate] = await tx
      .select(customerColumns)
      .from(customers)
      .where(and(eq(customers.accountId, acc), eq(customers.id, id)))
      .for('update');
    id = candidate?.mergedIntoId ?? null;
  }
  if (!candidate || candidate.mergedIntoId || candidate.id === customerId) return null;

  await lockPairKey(tx, acc, customerId, candidate.id);
  const at = { ...reason, at: new Date().toISOString() };
  const open = await findPair(tx, acc, customerId, candidate.id);
  if (open) {
    const reasons = addReason(open.reasons, at);
    if (reasons)
      await tx.update(customerMergeSuggestions).set({ reasons, updatedAt: new Date() }).where(eq(customerMergeSuggestions.id, open.id));
    return { id: open.id, created: false };
  }
  // An agent already said these two are different people; the same kind of evidence does not ask again.
  const dismissed = await findPair(tx, acc, customerId, candidate.id, 'dismissed');
  if (dismissed) return { id: dismissed.id, created: false };
  const [row] = await tx
    .insert(customerMergeSuggestions)
    .values({ accountId: acc, customerId, candidateId: candidate.id, reasons: [at] })
    .returning();
  const [presented] = await withProfiles(tx, acc, [row!]);
  await emit(tx, ctx, {
    type: 'customer.merge_suggested',
    customerId,
    payload: { suggestion: presented!, candidateId: candidate.id },
  });
  return { id: row!.id, created: true };
}

/**
 * After `sourceId` was merged into `targetId`, no open suggestion may still name the source: one between the two
 * is decided (`merged`), any other moves to the survivor, or folds its reasons into the survivor's open
 * suggestion with the same profile and disappears.
 */
export async function settleSuggestionsAfterMerge(tx: Tx, ctx: Ctx, targetId: string, sourceId: string): Promise<void> {
  const acc = ctx.accountId;
  const open = await tx
    .select()
    .from(customerMergeSuggestions)
    .where(
      and(
        eq(customerMergeSuggestions.accountId, acc),
        eq(customerMergeSuggestions.status, 'open'),
        or(eq(customerMergeSuggestions.customerId, sourceId), eq(customerMergeSuggestions.candidateId, sourceId)),
      ),
    )
    .for('update');
  const decidedByUserId = ctx.actor.kind === 'user' ? ctx.actor.userId : null;
  for (const s of open) {
    const other = s.customerId === sourceId ? s.candidateId : s.customerId;
    if (other === targetId) {
      await tx
        .update(customerMergeSuggestions)
        .set({ status: 'merged', decidedAt: new Date(), decidedByUserId, updatedAt: new Date() })
        .where(eq(customerMergeSuggestions.id, s.id));
      continue;
    }
    await lockPairKey(tx, acc, targetId, other);
    const existing = await findPair(tx, acc, targetId, other);
    if (existing) {
      let reasons = existing.reasons;
      for (const r of s.reasons) reasons = addReason(reasons, r) ?? reasons;
      await tx.update(customerMergeSuggestions).set({ reasons, updatedAt: new Date() }).where(eq(customerMergeSuggestions.id, existing.id));
      await tx.delete(customerMergeSuggestions).where(eq(customerMergeSuggestions.id, s.id));
      continue;
    }
    const repointed = s.customerId === sourceId ? { customerId: targetId } : { candidateId: targetId };
    await tx
      .update(customerMergeSuggestions)
      .set({ ...repointed, updatedAt: new Date() })
      .where(eq(customerMergeSuggestions.id, s.id));
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/**
 * Open suggestions, newest first (of one customer, on either side, when `customerId` is given), keyset
 * paginated on (createdAt, id). A cursor of another list is a 422, never a SQL error.
 */
export async function listOpenSuggestions(tx: Tx, accountId: string, query: { limit: number; cursor?: string; customerId?: string }) {
  let keyset: SQL | undefined;
  if (query.cursor) {
    const v = decodeCursor(query.cursor);
    if (!v || v.length !== 2 || typeof v[0] !== 'string' || !ISO.test(v[0]) || typeof v[1] !== 'string' || !UUID.test(v[1])) {
      throw invalid('querystring.cursor', 'The cursor is not valid for this list; start again without it');
    }
    keyset = sql`(${customerMergeSuggestions.createdAt}, ${customerMergeSuggestions.id}) < (${v[0]}::timestamptz, ${v[1]}::uuid)`;
  }
  const s = customerMergeSuggestions;
  const rows = await tx
    .select({ row: s, at: preciseIso(s.createdAt) })
    .from(s)
    .where(
      and(
        eq(s.accountId, accountId),
        eq(s.status, 'open'),
        query.customerId ? or(eq(s.customerId, query.customerId), eq(s.candidateId, query.customerId)) : undefined,
        keyset,
      ),
    )
    .orderBy(desc(s.createdAt), desc(s.id))
    .limit(query.limit + 1);
  const more = rows.length > query.limit;
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return {
    items: await withProfiles(
      tx,
      accountId,
      items.map((r) => r.row),
    ),
    nextCursor: more && last ? encodeCursor([last.at, last.row.id]) : null,
  };
}

/** One suggestion of the account (any status), or 404, also for another tenant's id. */
export async function getSuggestion(tx: Tx, accountId: string, id: string, opts: { lock?: boolean } = {}): Promise<SuggestionRow> {
  const q = tx
    .select()
    .from(customerMergeSuggestions)
    .where(and(eq(customerMergeSuggestions.accountId, accountId), eq(customerMergeSuggestions.id, id)));
  const [row] = opts.lock ? await q.for('update') : await q;
  if (!row) throw notFound('Merge suggestion');
  return row;
}
