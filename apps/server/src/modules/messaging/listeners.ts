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
    claim: (channel) => (deliversReplies(channel) ? { status: 'pending' } : null),
  });
}
