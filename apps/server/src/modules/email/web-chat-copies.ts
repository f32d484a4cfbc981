import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/client';
import { channels, conversations } from '../../db/schema';
import { systemCtx, type Ctx } from '../../platform/context';
import { defineJob, type JobDefinition } from '../../platform/jobs';
import type { AppDeps } from '../../platform/module';
import { command } from '../../platform/tx';
import { applyDeliveryStatus, lockMessage, type MessageRow } from '../conversations';
import { offlinePromise } from '../webchat';
import { messageIdFor } from './compose';
import type { emailDeliveryJob } from './outbound';
import { toEmailChannel, type EmailChannel } from './queries';

/** The email channel that carries copies of web chat replies: the account's oldest enabled one with an address. */
async function copyChannelOf(tx: Tx, accountId: string): Promise<EmailChannel | null> {
  const rows = await tx
    .select({ id: channels.id, accountId: channels.accountId, name: channels.name, config: channels.config })
    .from(channels)
    .where(and(eq(channels.accountId, accountId), eq(channels.kind, 'email'), eq(channels.active, true)))
    .orderBy(asc(channels.createdAt), asc(channels.id));
  return rows.map(toEmailChannel).find((c) => c !== null) ?? null;
}

/**
 * The offline promise of the web chat: an agent's reply in a web chat conversation is also mailed, through the
 * account's email channel, to a visitor who left an email address (offline form, pre-chat form, identify) when their
 * widget is not there to show it (webchat's offlinePromise decides). The copy is threaded like any reply (Message-ID,
 * In-Reply-To/References, the `+token` Reply-To, `[#n]`), so the answer comes back into the same conversation. The
 * reply's delivery status follows the mail (pending -> sent | failed), and its externalId is the mail's Message-ID.
 */
export function registerWebChatCopies(deps: Pick<AppDeps, 'database' | 'events' | 'jobs'>, delivery: ReturnType<typeof emailDeliveryJob>) {
  const ctxFor = (accountId: string) => systemCtx({ db: deps.database.db, events: deps.events }, accountId, 'email:web-chat-copy');

  /** Claims the reply for the copy (pending, with the Message-ID it will carry) and writes the delivery job with it. */
  async function sendCopy(tx: Tx, ctx: Ctx, message: MessageRow): Promise<void> {
    const channel = await copyChannelOf(tx, ctx.accountId);
    if (!channel) return;
    await applyDeliveryStatus(tx, ctx, message, { status: 'pending', externalId: messageIdFor(message.id, channel.address) });
    await deps.jobs.enqueue(
      delivery,
      { accountId: ctx.accountId, messageId: message.id, via: channel.id },
      { tx, dedupeKey: `copy:${message.id}` },
    );
  }

  /** Decides for one reply (again, on a check) and sends the copy or schedules the next look; idempotent. */
  async function decide(ctx: Ctx, messageId: string, recheck: boolean): Promise<void> {
    await command(ctx, async (tx) => {
      const message = await lockMessage(tx, ctx.accountId, messageId);
      // Already claimed (a re-run, or a copy on its way): nothing new.
      if (!message || message.kind !== 'outgoing' || message.deliveryStatus !== null) return;
      const [conv] = await tx
        .select({ customerId: conversations.customerId, channelId: conversations.channelId, tags: conversations.tags })
        .from(conversations)
        .where(and(eq(conversations.accountId, ctx.accountId), eq(conversations.id, message.conversationId)));
      if (!conv || conv.channelId !== message.channelId) return;
      const promise = await offlinePromise(tx, { accountId: ctx.accountId, ...conv }, message, new Date(), { recheck });
      if (promise.kind === 'email') await sendCopy(tx, ctx, message);
      else if (promise.kind === 'wait')
        await deps.jobs.enqueue(checkJob, { accountId: ctx.accountId, messageId }, { tx, runAt: promise.until, dedupeKey: messageId });
    });
  }

  /** The widget closed a moment before the reply: look again when it has been gone long enough. */
  const checkJob: JobDefinition<{ accountId: string; messageId: string }> = defineJob({
    name: 'email.web-chat-copy-check',
    schema: z.object({ accountId: z.uuid(), messageId: z.uuid() }),
    run: ({ accountId, messageId }) => decide(ctxFor(accountId), messageId, true),
  });
  deps.jobs.register(checkJob);

  deps.events.on('email.web-chat-copy', ['message.created'], async (event, ctx) => decide(ctx, event.payload.message.id, false), {
    // An agent's reply on a web channel, for a customer with an email address, in an account with an enabled email
    // channel: anything else takes no job.
    when: (e) => e.payload.message.kind === 'outgoing' && e.payload.message.authorKind === 'agent',
    guard: `exists (select 1 from channels c where c.account_id = e.account_id
        and c.id = (e.payload->'message'->>'channelId')::uuid and c.kind = 'web')
      and exists (select 1 from channels m where m.account_id = e.account_id and m.kind = 'email' and m.active)
      and exists (select 1 from customers u where u.account_id = e.account_id and u.id = e.customer_id and u.email is not null)`,
  });
}
