import type { RelaxationStep, RoutingActions, RoutingConditions, RoutingRule, SkillRequirement } from '@touchpoint/shared';

/** What the rules look at; gathered from the conversation, its channel and its customer. */
export interface ConversationFacts {
  channelKind: string;
  tags: string[];
  language: string | null;
  vip: boolean;
  segment: string | null;
  intent: string | null;
  priority: string;
  teamId: string | null;
}

export interface DerivedRequirements {
  rule: { id: string; name: string } | null;
  requiredSkills: SkillRequirement[];
  language: string | null;
  relaxation: RelaxationStep[];
  priority: number;
  teamId: string | null;
}

const PRIORITY_RANK: Record<string, number> = { low: 0, normal: 10, high: 20, urgent: 30 };

const inList = (list: string[] | undefined, value: string | null) =>
  list === undefined || (value !== null && list.map((v) => v.toLowerCase()).includes(value.toLowerCase()));

/** Every condition present must hold (tags: any of them); an empty condition set matches everything. */
export function ruleMatches(c: RoutingConditions, f: ConversationFacts): boolean {
  if (!inList(c.channelKinds, f.channelKind)) return false;
  if (c.tags && !c.tags.some((t) => f.tags.includes(t))) return false;
  if (!inList(c.languages, f.language)) return false;
  if (c.vip !== undefined && c.vip !== f.vip) return false;
  if (!inList(c.segments, f.segment)) return false;
  if (!inList(c.intents, f.intent)) return false;
  return true;
}

/** What the engine needs of a rule. */
export type RuleForRouting = Pick<RoutingRule, 'id' | 'name' | 'active' | 'conditions' | 'actions' | 'relaxation'>;

/** The first active rule (by position) that matches decides skills, language, priority boost and team. */
export function deriveRequirements(rules: RuleForRouting[], f: ConversationFacts): DerivedRequirements {
  const rule = rules.find((r) => r.active && ruleMatches(r.conditions, f));
  const actions: Partial<RoutingActions> = rule?.actions ?? {};
  return {
    rule: rule ? { id: rule.id, name: rule.name } : null,
    requiredSkills: actions.requiredSkills ?? [],
    language: actions.language ?? null,
    relaxation: rule?.relaxation ?? [],
    priority: (PRIORITY_RANK[f.priority] ?? 10) + (actions.priorityBoost ?? 0),
    teamId: actions.teamId ?? f.teamId,
  };
}
