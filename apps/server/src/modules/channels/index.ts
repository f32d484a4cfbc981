import type { Module } from '../../platform/module';
import { registerChannelRoutes } from './routes';

export { createChannel, createDefaultChannels } from './commands/create-channel';
export { channelPolicy } from './policy';
export { findDefaultChannel, presentChannel } from './queries';

/** Channels: the ways customers reach an account (API, web chat, later email, messaging and voice). */
export const channelsModule: Module = {
  name: 'channels',
  register(app, deps) {
    registerChannelRoutes(app, deps);
  },
};
