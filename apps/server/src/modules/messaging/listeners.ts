import { and, eq } from 'drizzle-orm';
import { channels } from '../../db/schema';
import type { AppDeps } from '../../platform/module';
import { command } from '../../platform/tx';
import { deliveryJob } from './outbound';
import { deliversReplies } from './payloads';
import { applyDeliveryStatus, lockMessage } from '../conversations';

/**
 * Replies (outgoing messages, not notes) on a messaging channel, or on an api channel with a config.outboundUrl,
 * are queued for delivery: the message turns `pending`, then its delivery job is enqueued. Idempotent: the job's dedupe key is the message id, and a message
 * past `pending` was delivered (or refused) already.
 */
export function registerMessagingListeners(deps: AppDeps): void {
  const job = deliveryJob(deps);
  deps.jobs.register(job);
  deps.events.on(
    'messaging.queue-delivery',
    ['message.created'],
    async (event, ctx) => {
      const messageId = (event.payload.message as { id: string }).id;
      const queue = await command(ctx, async (tx) => {
        const message = await lockMessage(tx, ctx.accountId, messageId);
        if (!message || message.kind !== 'outgoing') return false;
        // The channel first: other channel adapters listen to the same event and set `pending` on their own replies.
        const [channel] = await tx
          .select({ kind: channels.kind, config: channels.config })
          .from(channels)
          .where(and(eq(channels.accountId, ctx.accountId), eq(channels.id, message.channelId)));
        if (!channel || !deliversReplies(channel)) return false;
        // Pending already: an earlier run got this far, and maybe not to the enqueue below (which dedupes).
        if (message.deliveryStatus !== null) return message.deliveryStatus === 'pending';
        await applyDeliveryStatus(tx, ctx, message, { status: 'pending' });
        return true;
      });
      // After COMMIT: the queue's tables are not the tenant role's to write, and the job must see `pending`.
      if (queue) await deps.jobs.enqueue(job, { accountId: ctx.accountId, messageId }, { dedupeKey: messageId });
    },
    // Only replies can need a delivery; customer messages and notes never take a job.
    { when: (e) => (e.payload.message as { kind?: string } | undefined)?.kind === 'outgoing' },
  );
}
