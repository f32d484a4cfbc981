import type { RoutingRule } from '@touchpoint/shared';
import type { routingDecisions, routingRules, skills } from '../../db/schema';

const iso = (d: Date) => d.toISOString();

export function presentRule(r: typeof routingRules.$inferSelect): RoutingRule {
  return {
    id: r.id,
    name: r.name,
    position: r.position,
    active: r.active,
    conditions: r.conditions as RoutingRule['conditions'],
    actions: r.actions as RoutingRule['actions'],
    relaxation: r.relaxation as RoutingRule['relaxation'],
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}

export const presentSkill = (s: typeof skills.$inferSelect) => ({ id: s.id, name: s.name, createdAt: iso(s.createdAt) });

export const presentDecision = (d: typeof routingDecisions.$inferSelect) => ({
  id: d.id,
  conversationId: d.conversationId,
  decidedAt: iso(d.decidedAt),
  outcome: d.outcome as 'assigned' | 'queued',
  winnerId: d.winnerId,
  explanation: d.explanation,
});
