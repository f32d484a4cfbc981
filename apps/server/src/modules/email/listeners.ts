import { and, eq } from 'drizzle-orm';
import { channels } from '../../db/schema';
import type { AppDeps } from '../../platform/module';
import { command } from '../../platform/tx';
import { messageIdFor } from './compose';
import { emailDeliveryJob } from './outbound';
import { toEmailChannel } from './queries';
import { applyDeliveryStatus, lockMessage } from '../conversations';

/**
 * Replies (outgoing messages, never notes) in a conversation on an email channel are queued for sending: the message
 * turns `pending`, gets the Message-ID it will be sent with (its externalId, so the customer's answer threads back),
 * and its job is enqueued after COMMIT. Idempotent: a rerun finds the message pending and enqueues again, which the
 * job's dedupe key (the message id) makes a no-op.
 */
export function registerEmailListeners(deps: AppDeps): void {
  const job = emailDeliveryJob(deps);
  deps.jobs.register(job);
  deps.events.on(
    'email.queue-delivery',
    ['message.created'],
    async (event, ctx) => {
      const messageId = (event.payload.message as { id: string }).id;
      const queue = await command(ctx, async (tx) => {
        const message = await lockMessage(tx, ctx.accountId, messageId);
        if (!message || message.kind !== 'outgoing') return false;
        // The channel first: other channels' listeners set their own delivery status (an SMS reply is `pending`
        // for the messaging module), which must not make this one mail it.
        const [channel] = await tx
          .select()
          .from(channels)
          .where(and(eq(channels.accountId, ctx.accountId), eq(channels.id, message.channelId)));
        if (!channel || channel.kind !== 'email') return false;
        // Pending already: an earlier run got this far, and maybe not to the enqueue below (which dedupes).
        if (message.deliveryStatus !== null) return message.deliveryStatus === 'pending';
        const address = toEmailChannel(channel)?.address;
        const externalId = message.externalId ?? (address ? messageIdFor(message.id, address) : undefined);
        await applyDeliveryStatus(tx, ctx, message, { status: 'pending', externalId });
        return true;
      });
      // After COMMIT: the queue's tables are not the tenant role's to write, and the job must see `pending`.
      if (queue) await deps.jobs.enqueue(job, { accountId: ctx.accountId, messageId }, { dedupeKey: messageId });
    },
    { when: (e) => (e.payload.message as { kind?: string } | undefined)?.kind === 'outgoing' },
  );
}
