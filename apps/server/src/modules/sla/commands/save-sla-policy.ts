import type { CreateSlaPolicyBody, UpdateSlaPolicyBody } from '@touchpoint/shared';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { slaPolicies } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { conflict, invalid, isUniqueViolation, notFound } from '../../../platform/errors';
import { command } from '../../../platform/tx';
import { slaSettingsPolicy } from '../policy';
import { presentSlaPolicy } from '../presenters';
import { assertReferences } from '../references';

async function mapNameConflict<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUniqueViolation(err, 'sla_policies_account_name_key'))
      throw conflict('An SLA policy with this name already exists', { field: 'name' });
    throw err;
  }
}

const refsOf = (input: UpdateSlaPolicyBody) => ({
  teamIds: [...(input.conditions?.teamIds ?? []), ...(input.escalation?.reassignTeamId ? [input.escalation.reassignTeamId] : [])],
  teamPath: 'body.conditions.teamIds',
});

async function lockPolicy(tx: Tx, accountId: string, id: string) {
  const [row] = await tx
    .select()
    .from(slaPolicies)
    .where(and(eq(slaPolicies.accountId, accountId), eq(slaPolicies.id, id)))
    .for('update');
  if (!row) throw notFound('SLA policy');
  return row;
}

/** New policies go last in the matching order. */
export function createSlaPolicy(ctx: Ctx, input: CreateSlaPolicyBody) {
  return mapNameConflict(() =>
    command(ctx, async (tx) => {
      authorize(ctx.actor, slaSettingsPolicy, 'manage', { accountId: ctx.accountId });
      await assertReferences(tx, ctx.accountId, refsOf(input));
      const [{ next } = { next: 0 }] = await tx
        .select({ next: sql<number>`coalesce(max(${slaPolicies.position}) + 1, 0)::int` })
        .from(slaPolicies)
        .where(eq(slaPolicies.accountId, ctx.accountId));
      const [row] = await tx
        .insert(slaPolicies)
        .values({ accountId: ctx.accountId, position: next, ...input })
        .returning();
      return presentSlaPolicy(row!);
    }),
  );
}

export function updateSlaPolicy(ctx: Ctx, id: string, input: UpdateSlaPolicyBody) {
  return mapNameConflict(() =>
    command(ctx, async (tx) => {
      const current = await lockPolicy(tx, ctx.accountId, id);
      authorize(ctx.actor, slaSettingsPolicy, 'manage', { accountId: ctx.accountId });
      await assertReferences(tx, ctx.accountId, refsOf(input));
      const merged = { ...current, ...input };
      const targets = [merged.firstResponseSeconds, merged.nextResponseSeconds, merged.resolutionSeconds];
      if (targets.every((t) => t === null)) throw invalid('body.firstResponseSeconds', 'A policy needs at least one target');
      if (merged.warningLeadSeconds !== null && targets.some((t) => t !== null && merged.warningLeadSeconds! >= t))
        throw invalid('body.warningLeadSeconds', 'The warning lead must be shorter than every target');
      const [row] = await tx
        .update(slaPolicies)
        .set(input)
        .where(and(eq(slaPolicies.accountId, ctx.accountId), eq(slaPolicies.id, id)))
        .returning();
      return presentSlaPolicy(row!);
    }),
  );
}

export function deleteSlaPolicy(ctx: Ctx, id: string) {
  return command(ctx, async (tx) => {
    await lockPolicy(tx, ctx.accountId, id);
    authorize(ctx.actor, slaSettingsPolicy, 'manage', { accountId: ctx.accountId });
    await tx.delete(slaPolicies).where(and(eq(slaPolicies.accountId, ctx.accountId), eq(slaPolicies.id, id)));
  });
}

/** Sets the matching order: `ids` must list every policy of the account exactly once. */
export function reorderSlaPolicies(ctx: Ctx, ids: string[]) {
  return command(ctx, async (tx) => {
    authorize(ctx.actor, slaSettingsPolicy, 'manage', { accountId: ctx.accountId });
    const rows = await tx
      .select({ id: slaPolicies.id })
      .from(slaPolicies)
      .where(eq(slaPolicies.accountId, ctx.accountId))
      .orderBy(asc(slaPolicies.position))
      .for('update');
    const known = new Set(rows.map((r) => r.id));
    if (new Set(ids).size !== ids.length) throw invalid('body.ids', 'A policy is listed twice');
    const unknown = ids.find((id) => !known.has(id));
    if (unknown) throw invalid('body.ids', `SLA policy ${unknown} does not exist`);
    if (ids.length !== known.size) throw invalid('body.ids', `List all ${known.size} policies of the account`);
    for (const [position, id] of ids.entries())
      await tx
        .update(slaPolicies)
        .set({ position })
        .where(and(eq(slaPolicies.accountId, ctx.accountId), eq(slaPolicies.id, id)));
    const out = await tx.select().from(slaPolicies).where(eq(slaPolicies.accountId, ctx.accountId)).orderBy(asc(slaPolicies.position));
    return out.map(presentSlaPolicy);
  });
}
