import type { PresenceSource, PresenceState } from '@touchpoint/shared';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { Tx } from '../../db/client';
import { systemCtx, type Ctx } from '../../platform/context';
import { defineJob, type JobDefinition } from '../../platform/jobs';
import type { AppDeps } from '../../platform/module';
import type { SocketObserver, SocketSubject } from '../../platform/realtime';
import { command, read, systemCommand } from '../../platform/tx';
import { setPresence } from './commands/set-presence';
import { closeStaleRows, connectedAfter, connectionClosed, connectionOpened, refreshNode, STALE_AFTER_SECONDS } from './connections';
import type { routingJobs } from './jobs';
import { planReturn, requeueTeamsOf, RETURN_BATCH, returnConversation } from './offline-conversations';
import { AVAILABLE_STATES, changePresence, stateOf, type PresenceScheduler } from './presence';

/** How long an agent's last realtime socket stays closed before they are set away (a reload or a network blip is shorter). */
export const DISCONNECT_GRACE_SECONDS = 120;

const ZDisconnected = z.object({ accountId: z.uuid(), userId: z.uuid(), closedAt: z.iso.datetime() });
const ZReturn = z.object({
  accountId: z.uuid(),
  userId: z.uuid(),
  teamId: z.uuid(),
  /** When the agent stopped being online or busy. */
  since: z.iso.datetime(),
  /** The team's grace when the job was written (it waits longer if the team lengthens it meanwhile). */
  graceMinutes: z.number().int().min(0),
});
type Disconnected = z.infer<typeof ZDisconnected>;
type Return = z.infer<typeof ZReturn>;

const isAvailable = (state: PresenceState | undefined) => state !== undefined && AVAILABLE_STATES.includes(state);

/**
 * Presence beyond what the agent sets: away after their last socket closed (the grace period later), and an
 * unavailable agent's conversations returned to the queue where their team says so.
 */
export function presenceJobs(deps: Pick<AppDeps, 'database' | 'events' | 'jobs' | 'hub'>, routing: ReturnType<typeof routingJobs>) {
  const ctxFor = (accountId: string, reason: string) => systemCtx({ db: deps.database.db, events: deps.events }, accountId, reason);

  /**
   * An agent stopped being online or busy: for every team that returns conversations, a job at the end of its grace,
   * written with the change. The job decides when it runs (the agent may be back by then).
   */
  const schedule: PresenceScheduler = async (tx, ctx, change) => {
    if (!change.changed || !isAvailable(change.previous) || isAvailable(change.state)) return;
    const since = change.since.toISOString();
    for (const team of await requeueTeamsOf(tx, ctx.accountId, change.userId)) {
      await deps.jobs.enqueue(
        returnJob,
        { accountId: ctx.accountId, userId: change.userId, teamId: team.teamId, since, graceMinutes: team.graceMinutes },
        { tx, runAt: new Date(change.since.getTime() + team.graceMinutes * 60_000), dedupeKey: `${change.userId}:${team.teamId}:${since}` },
      );
    }
  };

  /** The agent's own change (PUT /presence), with its jobs. */
  const setOwnPresence = (ctx: Ctx, state: PresenceState, source?: PresenceSource) => setPresence(ctx, state, { source, schedule });

  /**
   * The grace after an agent's last socket closed is over: away, if they were online or busy and had no socket on any
   * node since (a reconnect, even a short one, answers for itself: its own close wrote its own job). Idempotent.
   */
  const disconnectJob: JobDefinition<Disconnected> = defineJob({
    name: 'routing.presence-disconnected',
    schema: ZDisconnected,
    run: async ({ accountId, userId, closedAt }) => {
      const ctx = ctxFor(accountId, 'routing.presence-disconnected');
      await command(ctx, async (tx) => {
        if (await connectedAfter(tx, accountId, userId, new Date(closedAt))) return;
        if (!isAvailable(await stateOf(tx, accountId, userId))) return;
        await changePresence(tx, ctx, userId, 'away', 'disconnected', schedule);
      });
    },
  });

  /**
   * An unavailable agent's grace is over for one team: their open conversations of that team are unassigned and routed
   * again, each in its own transaction, with a decision that says why. Nothing moves if they came back meanwhile, and
   * a second run finds nothing left to move.
   */
  const returnJob: JobDefinition<Return> = defineJob({
    name: 'routing.return-conversations',
    schema: ZReturn,
    run: async (data) => {
      const { accountId, userId, teamId } = data;
      const since = new Date(data.since);
      const ctx = ctxFor(accountId, 'routing.return-conversations');
      for (;;) {
        const plan = await read(ctx, (tx) => planReturn(tx, { ...data, since }, new Date()));
        if (plan.notBefore) {
          const runAt = plan.notBefore;
          const graceMinutes = Math.round((runAt.getTime() - since.getTime()) / 60_000);
          return deps.jobs.enqueue(
            returnJob,
            { ...data, graceMinutes },
            { runAt, dedupeKey: `${userId}:${teamId}:${data.since}:${graceMinutes}` },
          );
        }
        let moved = 0;
        for (const id of plan.conversationIds) {
          const cause = plan.cause!;
          const done = await command(ctx, (tx) =>
            returnConversation(tx, ctx, id, { userId, teamId, since }, (t, conversationId) =>
              routing.routeIn(t, ctx, conversationId, { cause }),
            ),
          );
          if (done) moved++;
        }
        // A full batch may have more behind it; a batch that moved nothing (all changed meanwhile) ends the run.
        if (moved === 0 || plan.conversationIds.length < RETURN_BATCH) return;
      }
    },
  });

  /** Closes the rows of nodes that stopped refreshing them, and writes the disconnect jobs of their agents. */
  const sweep = () =>
    systemCommand(deps.database.db, deps.events, async (tx) => {
      for (const row of await closeStaleRows(tx)) await enqueueDisconnect(tx, row.accountId, row.userId, row.closedAt);
    });

  /** After a start, whatever a previous process of this deployment left open is swept once it has gone stale. */
  const sweepJob = defineJob({
    name: 'routing.sweep-connections',
    schema: z.object({}),
    run: () => sweep(),
  });

  const enqueueDisconnect = (tx: Tx, accountId: string, userId: string, closedAt: Date) =>
    deps.jobs.enqueue(
      disconnectJob,
      { accountId, userId, closedAt: closedAt.toISOString() },
      { tx, runAt: new Date(closedAt.getTime() + DISCONNECT_GRACE_SECONDS * 1000), dedupeKey: `${userId}:${closedAt.toISOString()}` },
    );

  /** Writes each agent's sockets per node as they open and close, and keeps this node's rows fresh. */
  function socketObserver(log: FastifyBaseLogger): SocketObserver {
    const logged = (what: string, fn: () => Promise<void>) =>
      fn().catch((err: unknown) => {
        log.warn({ err }, `routing: could not record ${what}`);
        throw err;
      });
    return {
      opened: (s: SocketSubject) =>
        s.kind !== 'user'
          ? Promise.resolve()
          : logged('a socket opening', () =>
              command(ctxFor(s.accountId, 'routing.socket'), (tx) => connectionOpened(tx, s.accountId, s.userId, deps.hub.nodeId)),
            ),
      closed: (s: SocketSubject) =>
        s.kind !== 'user'
          ? Promise.resolve()
          : logged('a socket closing', () =>
              command(ctxFor(s.accountId, 'routing.socket'), async (tx) => {
                const closedAt = await connectionClosed(tx, s.accountId, s.userId, deps.hub.nodeId);
                // API-only and away agents have nothing to lose; the job checks again anyway.
                if (isAvailable(await stateOf(tx, s.accountId, s.userId))) await enqueueDisconnect(tx, s.accountId, s.userId, closedAt);
              }),
            ),
      alive: (subjects: SocketSubject[]) =>
        !subjects.some((s) => s.kind === 'user')
          ? Promise.resolve()
          : logged('the heartbeat', async () => {
              await systemCommand(deps.database.db, deps.events, (tx) => refreshNode(tx, deps.hub.nodeId));
              await sweep();
            }),
    };
  }

  /** Schedules the sweep of rows an earlier process left open (they are stale once it has been gone for a while). */
  const scheduleStartupSweep = () =>
    deps.jobs.enqueue(sweepJob, {}, { runAt: new Date(Date.now() + (STALE_AFTER_SECONDS + 10) * 1000), dedupeKey: deps.hub.nodeId });

  return { schedule, setOwnPresence, disconnectJob, returnJob, sweepJob, sweep, socketObserver, scheduleStartupSweep };
}
