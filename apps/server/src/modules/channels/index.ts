import type { Module } from '../../platform/module';
import { registerChannelRoutes } from './routes';

export { createChannel, createDefaultChannels } from './commands/create-channel';
export { channelPolicy } from './policy';
export { findDefaultChannel, presentChannel } from './queries';
export {
  registerSignedWebhook,
  signChannelPayload,
  signedHeaders,
  webhookChannel,
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
