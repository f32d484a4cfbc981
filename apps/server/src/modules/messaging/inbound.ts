import { MESSAGING_CHANNEL_KINDS, ZMessagingInboundEvent } from '@touchpoint/shared';
import type { App, AppDeps } from '../../platform/module';
import { invalid } from '../../platform/errors';
import { registerSignedWebhook } from '../channels';
import { receiveMessage } from './commands/receive-message';
import { receiveStatus } from './commands/receive-status';

/**
 * `POST /api/v1/channels/:channelId/messaging/events`: messages and delivery receipts from an SMS/WhatsApp/
 * social provider or a bridge, in the normalised format of docs/channels.md#messaging, signed with the channel's
 * webhookSecret. Answers 200 `{ data: { duplicate, messageId, conversationId } }`.
 */
export function registerMessagingInbound(app: App, deps: AppDeps): void {
  registerSignedWebhook(app, deps, {
    path: '/channels/:channelId/messaging/events',
    // api channels too: an integration that receives replies by webhook reports their receipts the same way.
    kinds: [...MESSAGING_CHANNEL_KINDS, 'api'],
    summary: 'Receive a message or a delivery receipt from a messaging provider (signed)',
    schema: ZMessagingInboundEvent,
    handle: (ctx, channel, event) => {
      if (event.type === 'status') return receiveStatus(ctx, channel, event);
      if (channel.kind === 'api')
        throw invalid('body.type', 'An api channel reports receipts here; it records customer messages through the REST API');
      return receiveMessage(ctx, channel, event);
    },
  });
}
