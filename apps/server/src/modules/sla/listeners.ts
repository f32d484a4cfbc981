import type { SlaTarget } from '@touchpoint/shared';
import type { Ctx } from '../../platform/context';
import type { StoredEvent } from '../../platform/events';
import type { JobDefinition } from '../../platform/jobs';
import type { AppDeps } from '../../platform/module';
import { command } from '../../platform/tx';
import { matchPolicy, reconcile, TARGET_COLUMNS, warningAt, type ConversationFacts } from './clock';
import type { SlaCheck } from './jobs';
import { calendarFor, loadConversationFacts, lockSla, orderedPolicies, saveSla, stateOf } from './store';

export const SLA_CLOCK_EVENTS = [
  'conversation.created',
  'conversation.priority_changed',
  'conversation.assigned',
  'conversation.status_changed',
  'conversation.snoozed',
  'message.created',
] as const;

/** An assignment matters to the clock only when it moves the conversation to another team (policies match teams). */
export function movesSlaClock(event: StoredEvent): boolean {
  if (event.type !== 'conversation.assigned') return true;
  return event.payload.teamId !== event.payload.previous.teamId;
}

/**
 * Only accounts with an active SLA policy, or a conversation whose clock is already running, need the clock's job:
 * checked in the statement that writes the event, so a policy created a moment ago on another node counts.
 */
export const SLA_CLOCK_GUARD = `exists (select 1 from sla_policies p where p.account_id = e.account_id and p.active)
  or exists (select 1 from conversation_slas s where s.account_id = e.account_id and s.conversation_id = e.conversation_id)`;

const date = (v: string | null | undefined) => (v ? new Date(v) : null);

/**
 * Moves a conversation's SLA clock on one event and returns the warning/breach checks to schedule. The event's
 * conversation snapshot is the state "as of" the event, so a pause starts when the conversation went pending.
 */
export async function advanceSlaClock(ctx: Ctx, event: StoredEvent): Promise<SlaCheck[]> {
  const conversationId = event.conversationId;
  if (!conversationId) return [];
  return command(ctx, async (tx) => {
    const loaded = await loadConversationFacts(tx, ctx.accountId, conversationId);
    if (!loaded) return [];
    const snap = 'conversation' in event.payload ? event.payload.conversation : undefined;
    const facts = snap ? { ...loaded.facts, priority: snap.priority, teamId: snap.teamId } : loaded.facts;
    const conv: ConversationFacts = snap
      ? {
          createdAt: new Date(snap.createdAt),
          status: snap.status,
          firstResponseAt: date(snap.firstResponseAt),
          waitingSince: date(snap.waitingSince),
          lastAgentReplyAt: date(snap.lastAgentReplyAt),
          resolvedAt: date(snap.resolvedAt),
        }
      : loaded.conv;
    const row = await lockSla(tx, ctx.accountId, conversationId);
    const policies = await orderedPolicies(tx, ctx.accountId);
    // A conversation that stops matching any policy keeps the one it had.
    const policy = matchPolicy(policies, facts) ?? (row ? policies.find((p) => p.id === row.policyId) : undefined);
    if (!policy) return [];
    const { calendar } = await calendarFor(tx, ctx.accountId, {
      teamId: facts.teamId,
      channelId: snap?.channelId ?? loaded.conv.channelId,
    });
    const state = reconcile(row ? stateOf(row) : null, conv, policy, calendar, event.createdAt);
    await saveSla(tx, ctx.accountId, conversationId, state, !!row);

    if (state.pausedAt) return [];
    const checks: SlaCheck[] = [];
    for (const [target, cols] of Object.entries(TARGET_COLUMNS) as [SlaTarget, (typeof TARGET_COLUMNS)[SlaTarget]][]) {
      const due = state[cols.due];
      const seconds = policy[cols.seconds];
      if (state[cols.status] !== 'pending' || !due || seconds === null) continue;
      const base = { accountId: ctx.accountId, conversationId, target, dueAt: due.toISOString() };
      checks.push({ ...base, kind: 'breach', runAt: due.toISOString() });
      const start = target === 'nextResponse' ? state.nextResponseStartedAt : state.startedAt;
      const warnAt = start && !state[cols.warned] ? warningAt(calendar, start, due, seconds, policy.warningLeadSeconds) : null;
      if (warnAt) checks.push({ ...base, kind: 'warning', runAt: warnAt.toISOString() });
    }
    return checks;
  });
}

/** Schedules each check once per due time: a moved due time gets new jobs and the old ones become no-ops. */
export async function scheduleChecks(deps: Pick<AppDeps, 'jobs'>, job: JobDefinition<SlaCheck>, checks: SlaCheck[]) {
  for (const c of checks)
    await deps.jobs.enqueue(job, c, { runAt: new Date(c.runAt), dedupeKey: `${c.conversationId}:${c.target}:${c.kind}:${c.dueAt}` });
}
