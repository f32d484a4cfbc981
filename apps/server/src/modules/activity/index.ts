import type { Module } from '../../platform/module';
import { registerActivityRoutes } from './routes';

/**
 * Activity: a read model of what happened to a conversation besides its messages, from its stored domain events and
 * routing decisions (docs/conversation.md#activity). It writes nothing and listens to nothing: new entries reach the
 * web app as the events themselves, on `conversation:<id>`.
 */
export const activityModule: Module = {
  name: 'activity',
  register(app, deps) {
    registerActivityRoutes(app, deps);
  },
};
