import type { Module } from '../../platform/module';
import { registerChannelRoutes } from './routes';

export { createChannel, createDefaultChannels } from './commands/create-channel';
export { updateChannel } from './commands/update-channel';
export { archiveChannel } from './commands/archive-channel';
export { rotateChannelSecret } from './commands/rotate-channel-secret';
export { channelPolicy } from './policy';
export { findDefaultChannel, presentChannel } from './queries';
export {
  registerSignedWebhook,
  signChannelPayload,
  signedHeaders,
  webhookChannel,
  channelDisabled,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  type WebhookChannel,
} from './webhooks';

/** Channels: the ways customers reach an account (API, web chat, later email, messaging and voice). */
export const channelsModule: Module = {
  name: 'channels',
  register(app, deps) {
    registerChannelRoutes(app, deps);
  },
};
