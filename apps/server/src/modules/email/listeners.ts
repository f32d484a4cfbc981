import type { AppDeps } from '../../platform/module';
import { onReplyToDeliver } from '../conversations';
import { messageIdFor } from './compose';
import { emailDeliveryJob } from './outbound';
import { toEmailChannel } from './queries';
import { registerWebChatCopies } from './web-chat-copies';

/**
 * Replies on an email channel are mailed by emailDeliveryJob. Queued, each gets the Message-ID it will be sent with
 * (its externalId, so the customer's answer threads back and retries reuse it). Web chat replies to a visitor who is
 * gone are mailed by the same job, through the account's email channel (web-chat-copies.ts).
 */
export function registerEmailListeners(deps: AppDeps): void {
  const job = emailDeliveryJob(deps);
  deps.jobs.register(job);
  onReplyToDeliver(deps, {
    listener: 'email.queue-delivery',
    job,
    channelSql: `c.kind = 'email'`,
    claim: (channel, message) => {
      if (channel.kind !== 'email') return null;
      const address = toEmailChannel(channel)?.address;
      return { status: 'pending', externalId: message.externalId ?? (address ? messageIdFor(message.id, address) : undefined) };
    },
  });
  registerWebChatCopies(deps, job);
}
