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
