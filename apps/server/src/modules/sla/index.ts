import { ZConversationSlaEnvelope, ZIdParams } from '@touchpoint/shared';
import { ctxOf } from '../../platform/http/auth';
import type { Module } from '../../platform/module';
import { slaCheckJob } from './jobs';
import { advanceSlaClock, movesSlaClock, scheduleChecks, SLA_CLOCK_EVENTS, SLA_CLOCK_GUARD } from './listeners';
import { registerSlaSettingsRoutes } from './routes';
import { getConversationSla } from './state';

export { slaClock } from './jobs';

/** Business-hours calendars, SLA policies and the per-conversation SLA clock with its warning and breach jobs. */
export const slaModule: Module = {
  name: 'sla',
  register(app, deps) {
    registerSlaSettingsRoutes(app, deps);
    const job = slaCheckJob(deps);
    deps.jobs.register(job);
    deps.events.on('sla.clock', SLA_CLOCK_EVENTS, async (event, ctx) => scheduleChecks(deps, job, await advanceSlaClock(ctx, event)), {
      when: movesSlaClock,
      guard: SLA_CLOCK_GUARD,
    });
    app.get(
      '/conversations/:id/sla',
      {
        schema: {
          tags: ['sla'],
          summary: 'SLA state of a conversation: due times and remaining business seconds',
          params: ZIdParams,
          response: { 200: ZConversationSlaEnvelope },
        },
      },
      async (req) => getConversationSla(ctxOf(deps, req), req.params.id),
    );
  },
};
