import type { Module } from '../../platform/module';
import { registerImapJobs } from './imap/jobs';
import { registerImapRoutes } from './imap/routes';
import { registerEmailListeners } from './listeners';
import { registerEmailRoutes } from './routes';
import { registerEmailDetailRoutes } from './routes-details';

export { startSmtpIntake, type SmtpIntake } from './smtp-intake';
export { pollMailbox, type PollResult } from './imap/poll';

/**
 * Email: the SMTP intake (started by the runtime when SMTP_PORT is set), IMAP polling of mailboxes hosted elsewhere,
 * threading of inbound mail into conversations, and sending of agents' replies through SMTP_RELAY_URL or the
 * development outbox (docs/channels.md#email).
 */
export const emailModule: Module = {
  name: 'email',
  register(app, deps) {
    registerEmailRoutes(app, deps);
    registerEmailDetailRoutes(app, deps);
    registerEmailListeners(deps);
    const imap = registerImapJobs(deps, app.log);
    registerImapRoutes(app, deps, app.log);
    // Nodes that run workers keep the sweep chain alive (the queue is installed by then); joining it is idempotent.
    if (deps.config.WORKER === 'on')
      app.addHook('onReady', async () => {
        await imap.start().catch((err: unknown) => app.log.warn({ err }, 'email imap: could not schedule the poll sweep'));
      });
  },
};
