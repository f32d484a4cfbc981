import { and, eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { z } from 'zod';
import { channels, emailOutbox } from '../../db/schema';
import { systemCtx, type Ctx } from '../../platform/context';
import { defineJob } from '../../platform/jobs';
import type { AppDeps } from '../../platform/module';
import { command } from '../../platform/tx';
import { composeReply, type Composed } from './compose';
import { lockMessage, setDeliveryStatus } from '../conversations';

const ZDelivery = z.object({
  accountId: z.uuid(),
  messageId: z.uuid(),
  /** The email channel to send through, when the reply is on another channel (a copy of a web chat reply). */
  via: z.uuid().optional(),
});
type Delivery = z.infer<typeof ZDelivery>;

/** Attempts after the first; with retryDelay 30 s and backoff, the last is about 30 minutes after the first. */
export const EMAIL_RETRY_LIMIT = 6;

type Ready = Exclude<Composed, { error: string }>;

/** SMTP 5xx is a permanent refusal (unknown mailbox, policy): retrying cannot help. */
const isPermanent = (err: unknown) => {
  const code = (err as { responseCode?: number } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
};

/** Development mode (no SMTP_RELAY_URL): the mail is rendered exactly as it would be sent and kept in email_outbox. */
async function writeToOutbox(ctx: Ctx, messageId: string, conversationId: string, channelId: string, ready: Ready) {
  const rendered = await nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }).sendMail(ready.mail);
  const raw = (rendered.message as Buffer).toString('utf8');
  await command(ctx, (tx) =>
    tx
      .insert(emailOutbox)
      .values({
        accountId: ctx.accountId,
        messageId,
        conversationId,
        channelId,
        fromAddress: ready.from,
        toAddress: ready.to,
        subject: ready.subject,
        messageIdHeader: ready.messageIdHeader,
        raw,
      })
      .onConflictDoNothing(),
  );
}

/**
 * Sends one outgoing reply by email, outside any transaction: through SMTP_RELAY_URL, or into the development outbox.
 * Temporary failures retry with exponential backoff; a 5xx refusal or the last attempt marks the message failed
 * (the job still fails, so it shows among the failed jobs for an admin to retry). Only pending or failed messages
 * are sent, so a job that runs again after recording "sent" sends nothing.
 */
export function emailDeliveryJob(deps: Pick<AppDeps, 'database' | 'config' | 'events'>) {
  const relay = deps.config.SMTP_RELAY_URL ? nodemailer.createTransport(deps.config.SMTP_RELAY_URL) : null;
  return defineJob<Delivery>({
    name: 'email-deliver',
    schema: ZDelivery,
    options: { retryLimit: EMAIL_RETRY_LIMIT, retryDelay: 30, retryBackoff: true, expireInSeconds: 120 },
    run: async ({ accountId, messageId, via }, { retryCount }) => {
      const ctx = systemCtx({ db: deps.database.db, events: deps.events }, accountId, 'email:deliver');
      const prepared = await command(ctx, async (tx) => {
        const message = await lockMessage(tx, accountId, messageId);
        if (!message || message.kind !== 'outgoing') return null;
        if (message.deliveryStatus !== 'pending' && message.deliveryStatus !== 'failed') return null;
        // Only ever an email channel's message, or a copy the web chat fallback claimed (it set the status):
        // another channel's delivery status is not ours to change.
        const channelId = via ?? message.channelId;
        const [channel] = await tx
          .select({ kind: channels.kind })
          .from(channels)
          .where(and(eq(channels.accountId, accountId), eq(channels.id, channelId)));
        if (channel?.kind !== 'email') return null;
        return { message, channelId, composed: await composeReply(tx, accountId, message, channelId) };
      });
      if (!prepared) return;
      const { message, channelId, composed } = prepared;
      if ('error' in composed) return void (await setDeliveryStatus(ctx, messageId, { status: 'failed', error: composed.error }));
      try {
        if (relay) await relay.sendMail(composed.mail);
        else await writeToOutbox(ctx, messageId, message.conversationId, channelId, composed);
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        if (isPermanent(err))
          return void (await setDeliveryStatus(ctx, messageId, { status: 'failed', error: `The relay refused it: ${error}` }));
        if (retryCount >= EMAIL_RETRY_LIMIT)
          await setDeliveryStatus(ctx, messageId, { status: 'failed', error: `${error} (gave up after ${retryCount + 1} attempts)` });
        throw err;
      }
      await setDeliveryStatus(ctx, messageId, { status: 'sent' });
    },
  });
}
