import { z } from 'zod';
import { systemCtx } from '../../platform/context';
import { defineJob } from '../../platform/jobs';
import type { AppDeps } from '../../platform/module';
import { wakeSnoozedConversation } from './commands/wake-snoozed-conversation';

const ZSnoozeWake = z.object({ accountId: z.uuid(), conversationId: z.uuid(), snoozedUntil: z.iso.datetime() });
export type SnoozeWake = z.infer<typeof ZSnoozeWake>;

/** Reopens a snoozed conversation when its snooze ends (a no-op if it was re-snoozed or woken meanwhile). */
export function snoozeWakeJob(deps: Pick<AppDeps, 'database' | 'events'>) {
  return defineJob<SnoozeWake>({
    name: 'conversation-snooze-wake',
    schema: ZSnoozeWake,
    run: async ({ accountId, conversationId, snoozedUntil }) => {
      const ctx = systemCtx({ db: deps.database.db, events: deps.events }, accountId, 'snooze-wake');
      await wakeSnoozedConversation(ctx, { conversationId, snoozedUntil: new Date(snoozedUntil) });
    },
  });
}

/**
 * `conversation.snoozed` -> one wake-up job at the snooze time. Scheduled by a listener (after commit, as the
 * system) rather than inside the tenant's transaction, which keeps the job queue out of tenant transactions.
 * The dedupe key makes a re-run of the listener schedule nothing new.
 */
export function registerSnoozeWake(deps: Pick<AppDeps, 'database' | 'events' | 'jobs'>): void {
  const job = snoozeWakeJob(deps);
  deps.jobs.register(job);
  deps.events.on('conversations.schedule-snooze-wake', ['conversation.snoozed'], async (event) => {
    const until = event.payload.until;
    if (!event.conversationId || until === null) return;
    await deps.jobs.enqueue(
      job,
      { accountId: event.accountId, conversationId: event.conversationId, snoozedUntil: until },
      { runAt: new Date(until), dedupeKey: `${event.conversationId}:${until}` },
    );
  });
}
