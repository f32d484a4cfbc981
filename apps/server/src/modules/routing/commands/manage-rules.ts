import type { CreateRoutingRuleBody } from '@touchpoint/shared';
import { and, eq, inArray, max } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { routingRules, skills, teams } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { invalid, notFound } from '../../../platform/errors';
import { command } from '../../../platform/tx';
import { routingPolicy } from '../policy';

/** Skills and team must exist in the account; relaxation waits must increase. */
async function checkRule(tx: Tx, accountId: string, input: CreateRoutingRuleBody): Promise<void> {
  const skillIds = [...new Set(input.actions.requiredSkills.map((s) => s.skillId))];
  if (skillIds.length > 0) {
    const found = await tx
      .select({ id: skills.id })
      .from(skills)
      .where(and(eq(skills.accountId, accountId), inArray(skills.id, skillIds)));
    if (found.length !== skillIds.length) throw invalid('actions.requiredSkills', 'Unknown skill id');
  }
  if (input.actions.teamId) {
    const [team] = await tx
      .select({ id: teams.id })
      .from(teams)
      .where(and(eq(teams.accountId, accountId), eq(teams.id, input.actions.teamId)));
    if (!team) throw invalid('actions.teamId', 'The team does not exist in this account');
  }
  const steps = input.relaxation.map((s) => s.afterSeconds);
  if (steps.some((s, i) => i > 0 && s <= steps[i - 1]!)) throw invalid('relaxation', 'Relaxation waits must increase');
}

/** Adds a rule; without a position it goes last. */
export async function createRoutingRule(ctx: Ctx, input: CreateRoutingRuleBody) {
  return command(ctx, async (tx) => {
    authorize(ctx.actor, routingPolicy, 'manage_routing', ctx.accountId);
    await checkRule(tx, ctx.accountId, input);
    let position = input.position;
    if (position === undefined) {
      const [last] = await tx
        .select({ p: max(routingRules.position) })
        .from(routingRules)
        .where(eq(routingRules.accountId, ctx.accountId));
      position = (last?.p ?? -1) + 1;
    }
    const [row] = await tx
      .insert(routingRules)
      .values({ accountId: ctx.accountId, ...input, position })
      .returning();
    return row!;
  });
}

/** Replaces a rule's definition (same validation as create); it keeps its place unless a position is given. */
export async function replaceRoutingRule(ctx: Ctx, ruleId: string, input: CreateRoutingRuleBody) {
  return command(ctx, async (tx) => {
    const where = and(eq(routingRules.accountId, ctx.accountId), eq(routingRules.id, ruleId));
    const [current] = await tx.select({ position: routingRules.position }).from(routingRules).where(where).for('update');
    if (!current) throw notFound('Routing rule');
    authorize(ctx.actor, routingPolicy, 'manage_routing', ctx.accountId);
    await checkRule(tx, ctx.accountId, input);
    const [row] = await tx
      .update(routingRules)
      .set({ ...input, position: input.position ?? current.position })
      .where(where)
      .returning();
    return row!;
  });
}

/** Sets the evaluation order: `ids` must list every rule of the account exactly once. */
export async function reorderRoutingRules(ctx: Ctx, ids: string[]) {
  return command(ctx, async (tx) => {
    authorize(ctx.actor, routingPolicy, 'manage_routing', ctx.accountId);
    const rows = await tx.select({ id: routingRules.id }).from(routingRules).where(eq(routingRules.accountId, ctx.accountId)).for('update');
    const known = new Set(rows.map((r) => r.id));
    if (new Set(ids).size !== ids.length || ids.length !== known.size || ids.some((id) => !known.has(id))) {
      throw invalid('ids', 'List every routing rule of the account exactly once, in the new order');
    }
    for (const [position, id] of ids.entries()) {
      await tx
        .update(routingRules)
        .set({ position })
        .where(and(eq(routingRules.accountId, ctx.accountId), eq(routingRules.id, id)));
    }
  });
}

export async function deleteRoutingRule(ctx: Ctx, ruleId: string): Promise<void> {
  await command(ctx, async (tx) => {
    const where = and(eq(routingRules.accountId, ctx.accountId), eq(routingRules.id, ruleId));
    const [row] = await tx.select({ id: routingRules.id }).from(routingRules).where(where);
    if (!row) throw notFound('Routing rule');
    authorize(ctx.actor, routingPolicy, 'manage_routing', ctx.accountId);
    await tx.delete(routingRules).where(where);
  });
}
