import { MESSAGING_CHANNEL_KINDS } from '@touchpoint/shared';
import type { AppDeps } from '../../platform/module';
import { onReplyToDeliver } from '../conversations';
import { deliveryJob } from './outbound';
import { deliversReplies } from './payloads';

/** Replies on a messaging channel, or on an api channel with a config.outboundUrl, are delivered by deliveryJob. */
export function registerMessagingListeners(deps: AppDeps): void {
  const job = deliveryJob(deps);
  deps.jobs.register(job);
  onReplyToDeliver(deps, {
    listener: 'messaging.queue-delivery',
    job,
    // The SQL twin of deliversReplies(): messaging kinds, and api channels with an outbound URL.
    channelSql: `c.kind in (${MESSAGING_CHANNEL_KINDS.map((k) => `'${k}'`).join(', ')}) or (c.kind = 'api' and c.config->>'outboundUrl' is not null)`,
    claim: (channel) => (deliversReplies(channel) ? { status: 'pending' } : null),
  });
}
