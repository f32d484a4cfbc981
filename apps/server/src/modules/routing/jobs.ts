import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { routingQueue } from '../../db/schema';
import { systemCtx, type Ctx } from '../../platform/context';
import { defineJob } from '../../platform/jobs';
import type { AppDeps } from '../../platform/module';
import { read } from '../../platform/tx';
import { expireOffer } from './engine/offers';
import type { Tx } from '../../db/client';
import { routeConversation, routeInTransaction, type RouteOptions, type RouteResult } from './engine/route-conversation';
import { listQueue } from './queries';

export type RoutingDeps = Pick<AppDeps, 'database' | 'events' | 'jobs'>;

const DRAIN_BATCH = 50;

/** Jobs of the routing module; created per app because they close over its dependencies. */
export function routingJobs(deps: RoutingDeps) {
  const ctxFor = (accountId: string, reason: string, causation?: Ctx['causation']) =>
    systemCtx({ db: deps.database.db, events: deps.events }, accountId, reason, causation);

  /** Writes the next relaxation step and the offer's timeout in the deciding transaction. */
  const followUps =
    (ctx: Ctx, conversationId: string) =>
    async (tx: Tx, result: RouteResult): Promise<void> => {
      if (result.nextRelaxation) {
        const { level, runAt } = result.nextRelaxation;
        await deps.jobs.enqueue(
          relaxJob,
          { accountId: ctx.accountId, conversationId, level },
          { tx, runAt, dedupeKey: `${conversationId}:${level}` },
        );
      }
      if (result.offer) {
        await deps.jobs.enqueue(
          offerTimeoutJob,
          { accountId: ctx.accountId, offerId: result.offer.id },
          { tx, runAt: result.offer.expiresAt, dedupeKey: result.offer.id },
        );
      }
    };

  /** Routes in a transaction of its own, with its follow-up jobs. */
  function route(ctx: Ctx, conversationId: string, opts: RouteOptions = {}): Promise<RouteResult> {
    return routeConversation(ctx, conversationId, { ...opts, schedule: followUps(ctx, conversationId) });
  }

  /** Routes inside the caller's transaction, with its follow-up jobs. */
  function routeIn(tx: Tx, ctx: Ctx, conversationId: string, opts: RouteOptions = {}): Promise<RouteResult> {
    return routeInTransaction(tx, ctx, conversationId, { ...opts, schedule: followUps(ctx, conversationId) });
  }

  /** Offers queued conversations, highest priority then longest waiting first, to whoever has capacity now. */
  const drainJob = defineJob({
    name: 'routing.drain',
    schema: z.object({ accountId: z.uuid() }),
    run: async ({ accountId }) => {
      const ctx = ctxFor(accountId, 'routing.drain');
      const queue = await read(ctx, (tx) => listQueue(tx, accountId, DRAIN_BATCH));
      for (const q of queue) await route(ctx, q.conversationId, { recordUnchangedQueued: false });
    },
  });

  /** A queued conversation reached its next relaxation wait: decide again with fewer requirements. */
  const relaxJob = defineJob({
    name: 'routing.relax',
    schema: z.object({ accountId: z.uuid(), conversationId: z.uuid(), level: z.number().int().min(1) }),
    run: async ({ accountId, conversationId, level }) => {
      const ctx = ctxFor(accountId, 'routing.relax');
      const [queued] = await read(ctx, (tx) =>
        tx
          .select({ level: routingQueue.relaxationLevel })
          .from(routingQueue)
          .where(and(eq(routingQueue.accountId, accountId), eq(routingQueue.conversationId, conversationId))),
      );
      if (!queued || queued.level >= level) return; // assigned meanwhile, or already relaxed (run twice)
      await route(ctx, conversationId, { relaxationLevel: level });
    },
  });

  /** Nobody answered the offer in time: take it back and offer the conversation to the next agent. */
  const offerTimeoutJob = defineJob({
    name: 'routing.offer_timeout',
    schema: z.object({ accountId: z.uuid(), offerId: z.uuid() }),
    run: async ({ accountId, offerId }) => {
      const ctx = ctxFor(accountId, 'routing.offer_timeout');
      const expired = await expireOffer(ctx, offerId);
      if (expired) await route(ctx, expired.conversationId);
    },
  });

  return { route, routeIn, drainJob, relaxJob, offerTimeoutJob };
}
