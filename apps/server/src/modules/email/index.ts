import type { Module } from '../../platform/module';
import { registerEmailListeners } from './listeners';
import { registerEmailRoutes } from './routes';

export { startSmtpIntake, type SmtpIntake } from './smtp-intake';

/**
 * Email: the SMTP intake (started by the runtime when SMTP_PORT is set), threading of inbound mail into conversations,
 * and sending of agents' replies through SMTP_RELAY_URL or the development outbox (docs/channels.md#email).
 */
export const emailModule: Module = {
  name: 'email',
  register(app, deps) {
    registerEmailRoutes(app, deps);
    registerEmailListeners(deps);
  },
};
