import type { Module } from '../../platform/module';
import { registerNotificationListeners } from './listeners';
import { registerUserTopic } from './realtime';
import { registerNotificationRoutes } from './routes';

/** A person's notifications (the bell: mentions and assignments) and their realtime topic `user:<id>`. */
export const notificationsModule: Module = {
  name: 'notifications',
  register(app, deps) {
    registerNotificationRoutes(app, deps);
    registerNotificationListeners(deps);
    registerUserTopic(deps);
  },
};
