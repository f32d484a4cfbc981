import type { Module } from '../../platform/module';
import { MESSAGING_CHANNEL_KINDS } from '@touchpoint/shared';
import { registerAttachmentLinks } from './attachment-links';
import { registerMessagingInbound } from './inbound';
import { registerMessagingListeners } from './listeners';

/**
 * Messaging channels (SMS, WhatsApp, Messenger, Instagram, Telegram, other): signed inbound messages and
 * receipts, and delivery of replies to the channel's config.outboundUrl (docs/channels.md#messaging).
 */
export const messagingModule: Module = {
  name: 'messaging',
  register(app, deps) {
    registerMessagingInbound(app, deps);
    registerAttachmentLinks(app, deps, [...MESSAGING_CHANNEL_KINDS, 'api']);
    registerMessagingListeners(deps);
  },
};
