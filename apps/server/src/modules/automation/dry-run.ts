import type { Condition, RuleAction } from '@touchpoint/shared';
import { authorize } from '../../platform/authz';
import type { Ctx } from '../../platform/context';
import { read } from '../../platform/tx';
import { getConversation } from '../conversations';
import { evaluateConditions } from './conditions';
import { loadFacts } from './facts';
import { rulePolicy } from './policy';
import { getRule } from './rule-queries';

/**
 * Evaluates a rule's conditions against a conversation as it is now and says what would run. Read-only: one
 * read transaction, no run recorded, no action taken. Message conditions see no message (they are unset).
 */
export async function dryRunRule(ctx: Ctx, ruleId: string, conversationId: string) {
  return read(ctx, async (tx) => {
    const rule = await getRule(tx, ctx.accountId, ruleId);
    authorize(ctx.actor, rulePolicy, 'read', rule);
    const { conversation } = await getConversation(tx, ctx.accountId, conversationId);
    const facts = await loadFacts(tx, ctx.accountId, conversation, null);
    const { matched, results } = evaluateConditions(rule.match as 'all' | 'any', rule.conditions as Condition[], facts);
    return {
      matched,
      conditions: results,
      actions: matched ? (rule.actions as RuleAction[]) : [],
      note: rule.active ? null : 'The rule is inactive: it would not run until activated',
    };
  });
}
