/**
 * The routing decision: which eligible agent gets a conversation, or whether it waits in the queue.
 * Pure (no I/O, no clock): the engine loads candidates under row locks and passes `now`, so every decision
 * can be replayed from its stored explanation.
 */

export const PRESENCE_STATES = ['online', 'away', 'busy', 'offline'] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];

export const ROUTING_POLICIES = ['skills', 'round_robin', 'least_loaded'] as const;
export type RoutingPolicy = (typeof ROUTING_POLICIES)[number];

export const RELAXATION_DROPS = ['proficiency', 'language', 'skills'] as const;
export type RelaxationDrop = (typeof RELAXATION_DROPS)[number];

/** After waiting `afterSeconds` in the queue, stop requiring `drop` (steps apply cumulatively, in order). */
export interface RelaxationStep {
  afterSeconds: number;
  drop: RelaxationDrop;
}

export interface SkillRequirement {
  skillId: string;
  minProficiency: number;
}

/** The channel kinds whose capacity weights are configurable. */
export type WeightKind = 'voice' | 'web' | 'chat' | 'messaging' | 'email' | 'api';
export type CapacityWeights = Record<WeightKind, number>;

/** One voice call fills an agent, a chat a third, an email or API ticket a tenth. */
export const DEFAULT_WEIGHTS: CapacityWeights = { voice: 1, web: 1 / 3, chat: 1 / 3, messaging: 1 / 3, email: 0.1, api: 0.1 };
export const DEFAULT_MAX_LOAD = 1;

const MESSAGING_KINDS = new Set(['sms', 'whatsapp', 'messenger', 'instagram', 'telegram']);

/** Maps a channel kind (channels.kind) to its weight class; unknown kinds weigh like email. */
export function weightKindOf(channelKind: string): WeightKind {
  if (channelKind === 'voice' || channelKind === 'web' || channelKind === 'email' || channelKind === 'api') return channelKind;
  if (channelKind === 'chat') return 'chat';
  if (MESSAGING_KINDS.has(channelKind)) return 'messaging';
  return 'email';
}

export function weightOf(channelKind: string, weights: Partial<CapacityWeights> = {}): number {
  const kind = weightKindOf(channelKind);
  return weights[kind] ?? DEFAULT_WEIGHTS[kind];
}

export interface RoutingRequirements {
  requiredSkills: SkillRequirement[];
  language: string | null;
  /** Capacity this conversation takes (its channel's weight). */
  weight: number;
  relaxation: RelaxationStep[];
  relaxationLevel: number;
}

export interface CandidateAgent {
  userId: string;
  state: PresenceState;
  load: number;
  maxLoad: number;
  /** skillId -> proficiency 1..5 */
  skills: Record<string, number>;
  languages: string[];
  /** ISO time of the last assignment; null = never assigned (idle the longest). */
  lastAssignedAt: string | null;
}

export interface CandidateExplanation {
  userId: string;
  eligible: boolean;
  /** Why an agent was excluded, or the facts that ranked it. */
  reasons: string[];
  /** The rank among eligible agents under the policy (highest wins); null when not eligible. */
  score: number | null;
  skillMatch: number;
  loadRatio: number;
}

export interface RoutingExplanation {
  policy: RoutingPolicy;
  rule: { id: string; name: string } | null;
  relaxationLevel: number;
  /** What was still required after relaxation. */
  effective: { requiredSkills: SkillRequirement[]; language: string | null; weight: number };
  candidates: CandidateExplanation[];
  /**
   * 'all': every candidate is listed with why it was or was not eligible (queued decisions, dry runs);
   * 'shortlist': the winner and the next eligible agents in policy order (the fast path over large teams).
   */
  scope: 'all' | 'shortlist';
  why: string;
}

export interface RoutingDecision {
  outcome: 'assigned' | 'queued';
  winnerId: string | null;
  explanation: RoutingExplanation;
}

export interface DecideInput {
  requirements: RoutingRequirements;
  candidates: CandidateAgent[];
  policy: RoutingPolicy;
  rule?: { id: string; name: string } | null;
  /** Agents who declined or let an offer of this conversation expire: the next agent gets it. */
  excludedUserIds?: string[];
  /** Agents a concurrent router was assigning at that instant (skipped, not waited for). */
  busyUserIds?: string[];
  scope?: RoutingExplanation['scope'];
}

const EPSILON = 1e-9;

/** The requirements left once the first `level` relaxation steps have been applied. */
export function relaxedRequirements(req: RoutingRequirements): RoutingExplanation['effective'] {
  let requiredSkills = req.requiredSkills;
  let language = req.language;
  for (const step of req.relaxation.slice(0, Math.max(0, req.relaxationLevel))) {
    if (step.drop === 'skills') requiredSkills = [];
    if (step.drop === 'proficiency') requiredSkills = requiredSkills.map((s) => ({ ...s, minProficiency: 1 }));
    if (step.drop === 'language') language = null;
  }
  return { requiredSkills, language, weight: req.weight };
}

function assess(agent: CandidateAgent, eff: RoutingExplanation['effective'], excluded: boolean, busy: boolean): CandidateExplanation {
  const reasons: string[] = [];
  if (excluded) reasons.push('declined or missed an offer of this conversation');
  if (busy) reasons.push('being assigned another conversation by a concurrent router');
  if (agent.state !== 'online') reasons.push(`state is ${agent.state}`);
  if (agent.load + eff.weight > agent.maxLoad + EPSILON)
    reasons.push(`capacity: load ${round(agent.load)} + weight ${round(eff.weight)} > max ${round(agent.maxLoad)}`);
  for (const s of eff.requiredSkills) {
    const p = agent.skills[s.skillId];
    if (p === undefined) reasons.push(`lacks skill ${s.skillId}`);
    else if (p < s.minProficiency) reasons.push(`skill ${s.skillId} proficiency ${p} < ${s.minProficiency}`);
  }
  if (eff.language && !agent.languages.includes(eff.language)) reasons.push(`does not speak ${eff.language}`);
  const skillMatch = eff.requiredSkills.reduce((sum, s) => sum + (agent.skills[s.skillId] ?? 0), 0);
  const loadRatio = agent.maxLoad > 0 ? agent.load / agent.maxLoad : 1;
  const eligible = reasons.length === 0;
  if (eligible) reasons.push(`skill match ${skillMatch}`, `load ${round(agent.load)}/${round(agent.maxLoad)}`, idleText(agent));
  return { userId: agent.userId, eligible, reasons, score: null, skillMatch, loadRatio: round(loadRatio) };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
const idleText = (a: CandidateAgent) => (a.lastAssignedAt ? `last assigned ${a.lastAssignedAt}` : 'never assigned');
/** Never-assigned agents have idled the longest. */
const lastAssignedMs = (a: CandidateAgent) => (a.lastAssignedAt ? Date.parse(a.lastAssignedAt) : -Infinity);

type Cmp = (a: CandidateAgent, b: CandidateAgent) => number;
const bySkill =
  (required: SkillRequirement[]): Cmp =>
  (a, b) =>
    skillSum(b, required) - skillSum(a, required);
const skillSum = (a: CandidateAgent, required: SkillRequirement[]) => required.reduce((s, r) => s + (a.skills[r.skillId] ?? 0), 0);
/**
 * Loads rounded to 6 decimals, so 1/3 + 1/3 and 2/3 tie (then idle time decides). The engine orders a team (one
 * max load) by the same key in SQL, round(load::numeric, 6), from an index; a test checks both pick one agent.
 */
export const loadKey = (load: number) => Math.round(load * 1e6) / 1e6;
const byLoad: Cmp = (a, b) => loadKey(a.load) / a.maxLoad - loadKey(b.load) / b.maxLoad;
const byIdle: Cmp = (a, b) => {
  const x = lastAssignedMs(a);
  const y = lastAssignedMs(b);
  return x === y ? 0 : x < y ? -1 : 1;
};
const byId: Cmp = (a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);

function orderOf(policy: RoutingPolicy, required: SkillRequirement[]): Cmp[] {
  if (policy === 'skills') return [bySkill(required), byLoad, byIdle, byId];
  if (policy === 'least_loaded') return [byLoad, byIdle, byId];
  return [byIdle, byId];
}

const WHY: Record<RoutingPolicy, string> = {
  skills: 'best skill match, then least loaded, then longest idle',
  least_loaded: 'least loaded (load / max load), then longest idle',
  round_robin: 'longest since last assignment',
};

/** Picks the winner among eligible agents by policy, or queues the conversation when nobody is eligible. */
export function decideRouting(input: DecideInput): RoutingDecision {
  const eff = relaxedRequirements(input.requirements);
  const excluded = new Set(input.excludedUserIds ?? []);
  const busy = new Set(input.busyUserIds ?? []);
  const assessed = input.candidates.map((c) => ({ agent: c, exp: assess(c, eff, excluded.has(c.userId), busy.has(c.userId)) }));
  const eligible = assessed.filter((a) => a.exp.eligible);
  const order = orderOf(input.policy, eff.requiredSkills);
  const ranked = [...eligible].sort((x, y) => {
    for (const cmp of order) {
      const d = cmp(x.agent, y.agent);
      if (d !== 0) return d;
    }
    return 0;
  });
  // A rank-derived score keeps the explanation readable: the winner has the highest.
  ranked.forEach((r, i) => (r.exp.score = ranked.length - i));
  const base = {
    policy: input.policy,
    rule: input.rule ?? null,
    relaxationLevel: input.requirements.relaxationLevel,
    effective: eff,
    candidates: assessed.map((a) => a.exp),
    scope: input.scope ?? 'all',
  };
  const winner = ranked[0];
  if (!winner) {
    const why =
      input.candidates.length === 0
        ? 'queued: no candidate agents'
        : 'queued: no candidate is online, has capacity and the required skills';
    return { outcome: 'queued', winnerId: null, explanation: { ...base, why } };
  }
  const runnerUp = ranked[1];
  const why =
    `assigned to ${winner.agent.userId} by ${input.policy} (${WHY[input.policy]})` +
    (runnerUp ? `; ahead of ${runnerUp.agent.userId}` : '; the only eligible agent');
  return { outcome: 'assigned', winnerId: winner.agent.userId, explanation: { ...base, why } };
}
