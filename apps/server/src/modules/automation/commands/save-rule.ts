import type { Condition, RuleAction, RuleTrigger } from '@touchpoint/shared';
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { automationRules } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { command } from '../../../platform/tx';
import { rulePolicy } from '../policy';
import type { RuleRow } from '../presenters';
import { checkAgentExists, checkSharedMacro, checkTeamExists, checkTemplate } from '../references';
import { getRule } from '../rule-queries';

export interface RuleInput {
  name: string;
  description?: string | null;
  active: boolean;
  trigger: RuleTrigger;
  match: 'all' | 'any';
  conditions: Condition[];
  actions: RuleAction[];
}

/** What the schema cannot know: referenced teams, agents and macros exist, templates use known variables. */
async function checkActions(tx: Tx, accountId: string, actions: RuleAction[]): Promise<void> {
  for (const [i, a] of actions.entries()) {
    const path = `actions.${i}`;
    if (a.type === 'assign_team') await checkTeamExists(tx, accountId, a.teamId, `${path}.teamId`);
    if (a.type === 'route' && a.teamId) await checkTeamExists(tx, accountId, a.teamId, `${path}.teamId`);
    if (a.type === 'assign_agent') await checkAgentExists(tx, accountId, a.userId, `${path}.userId`);
    if (a.type === 'apply_macro') await checkSharedMacro(tx, accountId, a.macroId, `${path}.macroId`);
    if (a.type === 'send_reply' || a.type === 'add_note') checkTemplate(`${path}.body`, a.body);
  }
}

const eventTypeOf = (trigger: RuleTrigger) => ('event' in trigger ? trigger.event : null);

export async function createRule(ctx: Ctx, input: RuleInput): Promise<RuleRow> {
  return command(ctx, async (tx) => {
    authorize(ctx.actor, rulePolicy, 'manage', { accountId: ctx.accountId });
    await checkActions(tx, ctx.accountId, input.actions);
    const [row] = await tx
      .insert(automationRules)
      .values({
        accountId: ctx.accountId,
        name: input.name,
        description: input.description ?? null,
        active: input.active,
        trigger: input.trigger,
        eventType: eventTypeOf(input.trigger),
        match: input.match,
        conditions: input.conditions,
        actions: input.actions,
        webhookSecret: randomBytes(32).toString('base64url'),
      })
      .returning();
    return row!;
  });
}

export async function updateRule(ctx: Ctx, id: string, input: Partial<RuleInput>): Promise<RuleRow> {
  return command(ctx, async (tx) => {
    const rule = await getRule(tx, ctx.accountId, id, { lock: true });
    authorize(ctx.actor, rulePolicy, 'manage', rule);
    if (input.actions) await checkActions(tx, ctx.accountId, input.actions);
    const changes: Partial<RuleRow> = {};
    for (const k of ['name', 'description', 'active', 'match', 'conditions', 'actions'] as const) {
      if (input[k] !== undefined) (changes as Record<string, unknown>)[k] = input[k];
    }
    if (input.trigger) Object.assign(changes, { trigger: input.trigger, eventType: eventTypeOf(input.trigger) });
    if (Object.keys(changes).length === 0) return rule;
    const [row] = await tx
      .update(automationRules)
      .set(changes)
      .where(and(eq(automationRules.accountId, ctx.accountId), eq(automationRules.id, id)))
      .returning();
    return row!;
  });
}

export async function deleteRule(ctx: Ctx, id: string): Promise<void> {
  await command(ctx, async (tx) => {
    const rule = await getRule(tx, ctx.accountId, id, { lock: true });
    authorize(ctx.actor, rulePolicy, 'manage', rule);
    await tx.delete(automationRules).where(and(eq(automationRules.accountId, ctx.accountId), eq(automationRules.id, id)));
  });
}
