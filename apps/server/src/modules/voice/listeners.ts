import { z } from 'zod';
import { systemCtx } from '../../platform/context';
import type { StoredEvent } from '../../platform/events';
import { defineJob } from '../../platform/jobs';
import type { AppDeps } from '../../platform/module';
import { attachCall } from './commands/attach-call';
import { moveCallsToCustomer } from './commands/follow-merge';

const ZAttachCall = z.object({ accountId: z.uuid(), callId: z.uuid() });

/** Only calls not yet in a conversation whose customer's number is known need the job. */
function needsAttach(event: StoredEvent<'call.started' | 'call.answered' | 'call.ended' | 'call.updated'>): boolean {
  const call = event.payload.call;
  if (call.conversationId) return false;
  return Boolean(call.direction === 'outbound' ? call.to : call.from);
}

/**
 * Any call event that leaves the call unattached with a known number -> ONE attach job per call: the dedupe key
 * is the call id, so the queued and ringing events of a new call arriving together never start two conversations.
 */
export function registerVoiceListeners(deps: Pick<AppDeps, 'database' | 'events' | 'jobs'>): void {
  const job = defineJob({
    name: 'voice-attach-call',
    schema: ZAttachCall,
    run: async ({ accountId, callId }) => {
      await attachCall(systemCtx({ db: deps.database.db, events: deps.events }, accountId, 'voice-attach-call'), callId);
    },
  });
  deps.jobs.register(job);
  deps.events.on(
    'voice.attach-call',
    ['call.started', 'call.answered', 'call.ended', 'call.updated'],
    async (event) => {
      await deps.jobs.enqueue(job, { accountId: event.accountId, callId: event.payload.call.id }, { dedupeKey: event.payload.call.id });
    },
    { when: needsAttach },
  );
  deps.events.on('voice.follow-customer-merge', ['customer.merged'], async (event, ctx) => {
    if (event.customerId) await moveCallsToCustomer(ctx, event.payload.sourceId, event.customerId);
  });
}
