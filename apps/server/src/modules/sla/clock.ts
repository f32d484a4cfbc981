import { addBusinessSeconds, businessSecondsBetween, type BusinessCalendar, type SlaConditions, type SlaTarget } from '@touchpoint/shared';

/**
 * The SLA clock as pure functions: which policy applies, and how a conversation's SLA state follows its
 * conversation. The listener feeds it the conversation as of each event; applying the same event twice yields the
 * same state (idempotent), so at-least-once delivery is harmless.
 */

export type TargetStatus = 'none' | 'pending' | 'met' | 'breached';

export interface SlaState {
  policyId: string;
  startedAt: Date;
  firstResponseDueAt: Date | null;
  nextResponseDueAt: Date | null;
  nextResponseStartedAt: Date | null;
  resolutionDueAt: Date | null;
  pausedAt: Date | null;
  pausedBusinessSeconds: number;
  firstResponseStatus: TargetStatus;
  nextResponseStatus: TargetStatus;
  resolutionStatus: TargetStatus;
  firstResponseWarned: boolean;
  nextResponseWarned: boolean;
  resolutionWarned: boolean;
}

export interface PolicyTargets {
  id: string;
  firstResponseSeconds: number | null;
  nextResponseSeconds: number | null;
  resolutionSeconds: number | null;
  warningLeadSeconds: number | null;
}

export interface ConversationFacts {
  createdAt: Date;
  status: string;
  firstResponseAt: Date | null;
  waitingSince: Date | null;
  /** The last human agent reply: tells a wait ended by a reply from one ended by resolving. */
  lastAgentReplyAt: Date | null;
  resolvedAt: Date | null;
}

export interface MatchFacts {
  priority: string;
  channelKind: string | null;
  teamId: string | null;
  customerSegment: string | null;
  vip: boolean;
}

/** Every listed condition must hold; within a condition any listed value matches. No conditions = catch-all. */
export function policyMatches(c: SlaConditions, f: MatchFacts): boolean {
  if (c.priorities?.length && !c.priorities.includes(f.priority as never)) return false;
  if (c.channelKinds?.length && !(f.channelKind && c.channelKinds.includes(f.channelKind))) return false;
  if (c.teamIds?.length && !(f.teamId && c.teamIds.includes(f.teamId))) return false;
  if (c.customerSegments?.length && !(f.customerSegment && c.customerSegments.includes(f.customerSegment))) return false;
  if (c.vip !== undefined && c.vip !== f.vip) return false;
  return true;
}

/** The first active policy, in order, whose conditions hold. */
export function matchPolicy<P extends { active: boolean; conditions: SlaConditions }>(ordered: P[], f: MatchFacts): P | null {
  return ordered.find((p) => p.active && policyMatches(p.conditions, f)) ?? null;
}

export const TARGET_COLUMNS = {
  firstResponse: {
    due: 'firstResponseDueAt',
    status: 'firstResponseStatus',
    warned: 'firstResponseWarned',
    seconds: 'firstResponseSeconds',
  },
  nextResponse: { due: 'nextResponseDueAt', status: 'nextResponseStatus', warned: 'nextResponseWarned', seconds: 'nextResponseSeconds' },
  resolution: { due: 'resolutionDueAt', status: 'resolutionStatus', warned: 'resolutionWarned', seconds: 'resolutionSeconds' },
} as const satisfies Record<SlaTarget, unknown>;

const isPaused = (status: string) => status === 'pending' || status === 'snoozed';
const settle = (doneAt: Date, due: Date | null): TargetStatus => (due && doneAt.getTime() > due.getTime() ? 'breached' : 'met');

/** The state after `conv` (as of instant `at`) under `policy` and calendar `cal`. */
export function reconcile(
  prev: SlaState | null,
  conv: ConversationFacts,
  policy: PolicyTargets,
  cal: BusinessCalendar,
  at: Date,
): SlaState {
  const s: SlaState = prev
    ? { ...prev }
    : {
        policyId: policy.id,
        startedAt: conv.createdAt,
        firstResponseDueAt: null,
        nextResponseDueAt: null,
        nextResponseStartedAt: null,
        resolutionDueAt: null,
        pausedAt: null,
        pausedBusinessSeconds: 0,
        firstResponseStatus: 'none',
        nextResponseStatus: 'none',
        resolutionStatus: 'none',
        firstResponseWarned: false,
        nextResponseWarned: false,
        resolutionWarned: false,
      };
  const fresh = !prev || prev.policyId !== policy.id;
  s.policyId = policy.id;

  // Resume: every running due time moves later by the business time spent paused.
  if (s.pausedAt && !isPaused(conv.status)) {
    const paused = Math.max(0, businessSecondsBetween(cal, s.pausedAt, at));
    s.pausedBusinessSeconds += Math.round(paused);
    for (const t of Object.values(TARGET_COLUMNS)) {
      const due = s[t.due];
      if (s[t.status] === 'pending' && due) s[t.due] = addBusinessSeconds(cal, due, paused);
    }
    s.pausedAt = null;
  }

  // (Re)start the whole-conversation targets when the policy is new: due = start + target + time already paused.
  if (fresh) {
    for (const key of ['firstResponse', 'resolution'] as const) {
      const t = TARGET_COLUMNS[key];
      if (s[t.status] === 'met' || s[t.status] === 'breached') continue;
      const seconds = policy[t.seconds];
      s[t.due] = seconds === null ? null : addBusinessSeconds(cal, s.startedAt, seconds + s.pausedBusinessSeconds);
      s[t.status] = seconds === null ? 'none' : 'pending';
      s[t.warned] = false;
    }
    if (s.nextResponseStatus === 'pending' && s.nextResponseStartedAt) {
      s.nextResponseDueAt =
        policy.nextResponseSeconds === null ? null : addBusinessSeconds(cal, s.nextResponseStartedAt, policy.nextResponseSeconds);
      if (policy.nextResponseSeconds === null) s.nextResponseStatus = 'none';
    }
  }

  if (conv.firstResponseAt && s.firstResponseStatus === 'pending')
    s.firstResponseStatus = settle(conv.firstResponseAt, s.firstResponseDueAt);

  // Next response: each customer message that finds no reply owed starts a clock; the next agent reply stops it.
  if (policy.nextResponseSeconds !== null && conv.firstResponseAt) {
    const waiting = conv.waitingSince;
    if (waiting && waiting.getTime() > conv.firstResponseAt.getTime() && s.nextResponseStartedAt?.getTime() !== waiting.getTime()) {
      s.nextResponseStartedAt = waiting;
      s.nextResponseDueAt = addBusinessSeconds(cal, waiting, policy.nextResponseSeconds);
      s.nextResponseStatus = 'pending';
      s.nextResponseWarned = false;
    } else if (!waiting && s.nextResponseStatus === 'pending') {
      const reply = conv.lastAgentReplyAt;
      const started = s.nextResponseStartedAt;
      if (reply && started && reply.getTime() >= started.getTime()) s.nextResponseStatus = settle(reply, s.nextResponseDueAt);
      // Resolving also ends the wait, but answers nothing: the target did not apply (none), unless it was already
      // overdue, which the breach job may not have recorded yet.
      else s.nextResponseStatus = s.nextResponseDueAt && at.getTime() > s.nextResponseDueAt.getTime() ? 'breached' : 'none';
    }
  }

  if (conv.status === 'resolved') {
    if (s.resolutionStatus === 'pending') s.resolutionStatus = settle(conv.resolvedAt ?? at, s.resolutionDueAt);
    // Resolving stops the response clocks too: nothing is owed on a resolved conversation.
    for (const key of ['firstResponse', 'nextResponse'] as const) {
      const t = TARGET_COLUMNS[key];
      if (s[t.status] === 'pending') s[t.status] = 'none';
    }
  }

  if (isPaused(conv.status) && !s.pausedAt) s.pausedAt = at;
  return s;
}

/** The warning instant: `lead` business seconds before due (default 20% of the target). */
export function warningAt(
  cal: BusinessCalendar,
  clockStart: Date,
  due: Date,
  targetSeconds: number,
  leadSeconds: number | null,
): Date | null {
  const lead = leadSeconds ?? Math.round(targetSeconds * 0.2);
  if (lead <= 0) return null;
  const total = businessSecondsBetween(cal, clockStart, due);
  return addBusinessSeconds(cal, clockStart, Math.max(0, total - lead));
}
