import { RULE_EVENTS } from '@touchpoint/shared';
import type { AppDeps } from '../../platform/module';
import { read } from '../../platform/tx';
import { evaluateForEvent, type EnqueueWebhook } from './engine';
import { activeRulesFor } from './rule-queries';

/** One durable listener runs every matching event rule, in creation order. */
export function registerEventRules(deps: Pick<AppDeps, 'events'>, enqueueWebhook: EnqueueWebhook): void {
  deps.events.on(
    'automation.event-rules',
    RULE_EVENTS,
    async (event, ctx) => {
      if (!event.conversationId) return;
      const rules = await read(ctx, (tx) => activeRulesFor(tx, ctx.accountId, event.type));
      for (const rule of rules) await evaluateForEvent(ctx, rule, event, enqueueWebhook);
    },
    // Events that no active rule of their account listens for get no job at all. Decided in the statement that writes
    // the event, so a rule saved a moment ago on another node counts (a node-local cache could be stale and lose it).
    {
      when: (event) => event.conversationId !== null,
      guard: `exists (select 1 from automation_rules r where r.account_id = e.account_id and r.event_type = e.type and r.active)`,
    },
  );
}
