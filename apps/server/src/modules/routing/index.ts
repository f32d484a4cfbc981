import type { Module } from '../../platform/module';
import { routingJobs } from './jobs';
import { registerRoutingListeners } from './listeners';
import { presenceJobs } from './presence-jobs';
import { registerRoutingRoutes } from './routes';

export { routeConversation } from './engine/route-conversation';
export { requestRouting } from './commands/request-routing';
export { routingPolicy } from './policy';
export { hasAvailableAgent } from './engine/candidates';

/**
 * Routing: presence and capacity, skills and rules, the engine that assigns or queues conversations (with every
 * decision explained), the queue drain and the relaxation of requirements over waiting time.
 */
export const routingModule: Module = {
  name: 'routing',
  register(app, deps) {
    const jobs = routingJobs(deps);
    deps.jobs.register(jobs.drainJob);
    deps.jobs.register(jobs.relaxJob);
    deps.jobs.register(jobs.offerTimeoutJob);
    const presence = presenceJobs(deps, jobs);
    deps.jobs.register(presence.disconnectJob);
    deps.jobs.register(presence.returnJob);
    deps.jobs.register(presence.sweepJob);
    deps.hub.observeSockets(presence.socketObserver(app.log));
    registerRoutingListeners(deps, jobs);
    registerRoutingRoutes(app, deps, jobs, presence);
    // Nodes that run workers have the queues installed by then; the dedupe key makes a second schedule a no-op.
    if (deps.config.WORKER === 'on')
      app.addHook('onReady', async () => {
        await presence
          .scheduleStartupSweep()
          .catch((err: unknown) => app.log.warn({ err }, 'routing: could not schedule the socket sweep'));
      });
  },
};
