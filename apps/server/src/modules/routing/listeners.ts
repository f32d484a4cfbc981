import type { Conversation } from '@touchpoint/shared';
import type { Tx } from '../../db/client';
import type { StoredEvent } from '../../platform/events';
import type { Ctx } from '../../platform/context';
import { command } from '../../platform/tx';
import { recomputeLoad } from './engine/loads';
import type { routingJobs, RoutingDeps } from './jobs';

type Jobs = ReturnType<typeof routingJobs>;
const conversationOf = (e: StoredEvent): Conversation | undefined => ('conversation' in e.payload ? e.payload.conversation : undefined);

/** Does this event mean the conversation now needs an agent (new inbound, reopen, transfer/handoff to a team)? */
export function needsAgent(e: StoredEvent): boolean {
  const conv = conversationOf(e);
  if (!conv || conv.assigneeId || conv.status !== 'open') return false;
  if (e.type === 'conversation.created') return e.payload.message.kind === 'incoming';
  if (e.type === 'conversation.status_changed') return e.payload.from === 'resolved' && e.payload.to === 'open';
  if (e.type === 'conversation.assigned') {
    const p = e.payload;
    // The engine's own unassignment (an unavailable agent's conversation returned to the queue) was routed in the
    // same transaction.
    if (p.routed) return false;
    return p.assigneeId === null && p.teamId !== null && (p.previous.assigneeId !== null || p.previous.teamId !== p.teamId);
  }
  return false;
}

const wantsRoute = (e: StoredEvent) => (e.type === 'routing.requested' || needsAgent(e)) && e.conversationId !== null;

/**
 * Whether an event can change an agent's load. The router's own assignments cannot: it claimed the capacity in
 * the assigning transaction (and only assigns unassigned conversations, so nobody else's load drops).
 */
function movesLoad(e: StoredEvent): boolean {
  if (e.type !== 'conversation.assigned') return true;
  return !e.payload.routed || e.payload.previous.assigneeId !== null;
}

export function registerRoutingListeners(deps: RoutingDeps, jobs: Jobs): void {
  const enqueueDrain = (tx: Tx, e: StoredEvent) =>
    deps.jobs.enqueue(jobs.drainJob, { accountId: e.accountId }, { tx, dedupeKey: `drain:${e.id}` });
  const drain = (e: StoredEvent, ctx: Ctx) => command(ctx, (tx) => enqueueDrain(tx, e));

  deps.events.on(
    'routing-route',
    ['conversation.created', 'conversation.status_changed', 'conversation.assigned', 'routing.requested'],
    async (e, ctx) => {
      if (wantsRoute(e)) await jobs.route(ctx, e.conversationId!, { since: e.createdAt });
    },
    { when: wantsRoute },
  );

  /** Keeps agent_loads exact after manual assignment, unassignment, resolve; offers the queue when capacity frees. */
  deps.events.on(
    'routing-capacity',
    ['conversation.assigned', 'conversation.status_changed', 'agent.presence_changed', 'routing.team_settings_changed'],
    async (e, ctx) => {
      if (e.type === 'agent.presence_changed') {
        if (e.payload.state === 'online') await drain(e, ctx);
        return;
      }
      if (e.type === 'routing.team_settings_changed') return drain(e, ctx);
      const users = new Set<string>();
      const assignee = conversationOf(e)?.assigneeId;
      if (assignee) users.add(assignee);
      if (e.type === 'conversation.assigned' && e.payload.previous.assigneeId) users.add(e.payload.previous.assigneeId);
      if (users.size === 0) return;
      // The recount and the drain it calls for commit together.
      await command(ctx, async (tx) => {
        let freed = false;
        for (const userId of users) {
          const { before, after } = await recomputeLoad(tx, ctx.accountId, userId);
          if (after < before - 1e-9) freed = true;
        }
        if (freed) await enqueueDrain(tx, e);
      });
    },
    { when: movesLoad },
  );
}
