import { ZMessagingChannelConfig, ZMessagingOutboundAnswer } from '@touchpoint/shared';
import { z } from 'zod';
import { systemCtx, type Ctx } from '../../platform/context';
import { defineJob } from '../../platform/jobs';
import type { AppDeps } from '../../platform/module';
import { BlockedDestinationError, postOutbound } from '../../platform/outbound-http';
import { read } from '../../platform/tx';
import { signedHeaders } from '../channels';
import { deliversReplies, payloadFor } from './payloads';
import { loadDelivery, type DeliveryTarget } from './queries';
import { setDeliveryStatus } from '../conversations';

const ZDelivery = z.object({ accountId: z.uuid(), messageId: z.uuid() });
type Delivery = z.infer<typeof ZDelivery>;

/** Attempts after the first; with retryDelay 10 and backoff, the last one is about 5 minutes after the first. */
export const DELIVERY_RETRY_LIMIT = 5;

/** The provider's id for the message, from a JSON answer `{ "id": … }`; anything else means none. */
function providerIdOf(body: string): string | undefined {
  try {
    const id = ZMessagingOutboundAnswer.safeParse(JSON.parse(body)).data?.id;
    return id === undefined ? undefined : String(id);
  } catch {
    return undefined;
  }
}

/** Why a message cannot be delivered at all (no retry would help), or the delivery to make. */
function plan(target: DeliveryTarget, base: string): { error: string } | { url: string; body: string } {
  const { channel } = target;
  if (!channel.active) return { error: 'The channel is inactive' };
  const config = ZMessagingChannelConfig.safeParse(channel.config);
  if (!config.success) return { error: 'The channel’s config.outboundUrl is not a valid http(s) URL' };
  if (!config.data.outboundUrl) return { error: 'The channel has no config.outboundUrl to deliver replies to' };
  const payload = payloadFor(target, base);
  return 'error' in payload ? payload : { url: config.data.outboundUrl, body: payload.body };
}

/**
 * Delivers one outgoing message to the channel's config.outboundUrl (a messaging channel, or an api channel that
 * has one; the body is shaped per kind), outside any transaction. A network error or a non-2xx answer retries
 * with exponential backoff; the last attempt marks the message failed (and still fails the job, so it shows among
 * the failed jobs and an admin can retry it). Only pending (or failed) messages are sent,
 * so a job that runs twice does not deliver twice once the first run recorded "sent".
 */
export function deliveryJob(deps: Pick<AppDeps, 'database' | 'config' | 'events'>) {
  return defineJob<Delivery>({
    name: 'messaging-deliver',
    schema: ZDelivery,
    options: { retryLimit: DELIVERY_RETRY_LIMIT, retryDelay: 10, retryBackoff: true, expireInSeconds: 60 },
    run: async ({ accountId, messageId }, { retryCount }) => {
      const ctx: Ctx = systemCtx({ db: deps.database.db, events: deps.events }, accountId, 'messaging:deliver');
      const target = await read(ctx, (tx) => loadDelivery(tx, accountId, messageId));
      if (!target || !deliversReplies(target.channel)) return;
      if (target.message.deliveryStatus !== 'pending' && target.message.deliveryStatus !== 'failed') return;
      const delivery = plan(target, deps.config.PUBLIC_URL ?? '');
      if ('error' in delivery) {
        await setDeliveryStatus(ctx, messageId, { status: 'failed', error: delivery.error });
        return;
      }
      let error: string;
      try {
        const res = await postOutbound(delivery.url, delivery.body, {
          allowPrivate: deps.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'on',
          headers: { ...signedHeaders(target.channel.secret, delivery.body), 'user-agent': 'Touchpoint-Messaging' },
          timeoutMs: 10_000,
        });
        if (res.status >= 200 && res.status < 300) {
          await setDeliveryStatus(ctx, messageId, { status: 'sent', externalId: providerIdOf(res.body) });
          return;
        }
        error = `The provider answered ${res.status}`;
      } catch (err) {
        if (err instanceof BlockedDestinationError) {
          await setDeliveryStatus(ctx, messageId, { status: 'failed', error: err.message });
          return;
        }
        error = err instanceof Error ? err.message : String(err);
      }
      if (retryCount >= DELIVERY_RETRY_LIMIT)
        await setDeliveryStatus(ctx, messageId, { status: 'failed', error: `${error} (gave up after ${retryCount + 1} attempts)` });
      throw new Error(error);
    },
  });
}
