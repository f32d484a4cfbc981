import type { Macro, MacroActions, Rule, RuleAction, RuleTrigger, Condition, WebhookDelivery } from '@touchpoint/shared';
import type { automationRules, automationRuns, macros } from '../../db/schema';

export type MacroRow = typeof macros.$inferSelect;
export type RuleRow = typeof automationRules.$inferSelect;
export type RunRow = typeof automationRuns.$inferSelect;

export function presentMacro(row: MacroRow): Macro {
  return {
    id: row.id,
    name: row.name,
    body: row.body,
    visibility: row.visibility as Macro['visibility'],
    ownerUserId: row.ownerUserId,
    actions: row.actions as MacroActions,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentRule(row: RuleRow, opts: { withSecret: boolean }): Rule {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    active: row.active,
    trigger: row.trigger as RuleTrigger,
    match: row.match as Rule['match'],
    conditions: row.conditions as Condition[],
    actions: row.actions as RuleAction[],
    ...(opts.withSecret ? { webhookSecret: row.webhookSecret } : {}),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentRun(row: RunRow) {
  return {
    id: row.id,
    ruleId: row.ruleId,
    eventId: row.eventId,
    conversationId: row.conversationId,
    outcome: row.outcome as 'matched' | 'not_matched' | 'skipped' | 'failed',
    reason: row.reason,
    actions: row.actions,
    deliveries: (row.actions as { type?: string; url?: string; delivery?: WebhookDelivery }[]).flatMap((a, actionIndex) =>
      a.type === 'call_webhook' && a.delivery ? [{ actionIndex, url: a.url ?? '', ...a.delivery }] : [],
    ),
    error: row.error,
    createdAt: row.createdAt.toISOString(),
  };
}
