import type { Module } from '../../platform/module';
import { routingJobs } from './jobs';
import { registerRoutingListeners } from './listeners';
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
    registerRoutingListeners(deps, jobs);
    registerRoutingRoutes(app, deps, jobs);
  },
};
