import { and, eq } from 'drizzle-orm';
import { channels } from '../../db/schema';
import type { JobDefinition } from '../../platform/jobs';
import type { AppDeps } from '../../platform/module';
import { command } from '../../platform/tx';
import { applyDeliveryStatus, lockMessage, type DeliveryUpdate } from './commands/message-delivery';
import { snoozeWakeJob } from './jobs';
import type { MessageRow } from './presenters';

export type ChannelRow = typeof channels.$inferSelect;
export interface ReplyDelivery {
  accountId: string;
  messageId: string;
}

/**
 * The shared front half of every channel adapter that delivers agent replies (email, messaging, api webhooks):
 * on `message.created` of a reply (never a note), `claim` says whether the message's channel is this adapter's and
 * with which update it turns `pending`; the adapter's job is written in the same transaction, deduplicated by message
 * id, so a re-run listener enqueues nothing new. The channel is checked before the status: other adapters set
 * `pending` on their own replies. `channelSql` (a condition over the channel row `c`) keeps replies on other
 * adapters' channels from taking a job at all.
 */
export function onReplyToDeliver(
  deps: Pick<AppDeps, 'events' | 'jobs'>,
  opts: {
    listener: string;
    job: JobDefinition<ReplyDelivery>;
    claim: (channel: ChannelRow, message: MessageRow) => DeliveryUpdate | null;
    channelSql: string;
  },
): void {
  deps.events.on(
    opts.listener,
    ['message.created'],
    async (event, ctx) => {
      const messageId = event.payload.message.id;
      await command(ctx, async (tx) => {
        const message = await lockMessage(tx, ctx.accountId, messageId);
        if (!message || message.kind !== 'outgoing') return false;
        const [channel] = await tx
          .select()
          .from(channels)
          .where(and(eq(channels.accountId, ctx.accountId), eq(channels.id, message.channelId)));
        const update = channel ? opts.claim(channel, message) : null;
        if (!update) return false;
        // Already on its way (or delivered): an earlier run wrote the job with the status.
        if (message.deliveryStatus !== null) return;
        await applyDeliveryStatus(tx, ctx, message, update);
        await deps.jobs.enqueue(opts.job, { accountId: ctx.accountId, messageId }, { tx, dedupeKey: messageId });
      });
    },
    {
      // Only replies can need a delivery (customer messages and notes never take a job), and only on this adapter's
      // channels: decided where the channel is known, in the statement that writes the event.
      when: (e) => e.payload.message.kind === 'outgoing',
      guard: `exists (select 1 from channels c where c.account_id = e.account_id
        and c.id = (e.payload->'message'->>'channelId')::uuid and (${opts.channelSql}))`,
    },
  );
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
