import { z } from 'zod';
import { isAtLeast } from '../../platform/authz';
import { ctxOf } from '../../platform/http/auth';
import { forbidden, notFound } from '../../platform/errors';
import type { Module } from '../../platform/module';

const ZFailedJob = z.object({
  id: z.string(),
  name: z.string(),
  data: z.unknown(),
  error: z.unknown(),
  retryCount: z.number(),
  failedAt: z.date().nullable(),
  createdAt: z.date(),
});

/**
 * Dead letters: jobs that exhausted their retries, listed per account for admins, and put back in their queue
 * on request. (Operators see every account's with `touchpoint jobs failed`.)
 */
export const jobsAdminModule: Module = {
  name: 'jobs-admin',
  register(app, deps) {
    app.get(
      '/jobs/failed',
      {
        schema: {
          tags: ['jobs'],
          summary: 'List failed jobs (dead letters) of this account',
          response: { 200: z.object({ data: z.array(ZFailedJob) }) },
        },
      },
      async (req) => {
        const ctx = ctxOf(deps, req);
        if (!isAtLeast(ctx.actor, 'admin')) throw forbidden('Only admins can see failed jobs');
        return { data: await deps.jobs.listFailed({ accountId: ctx.accountId }) };
      },
    );
    app.post(
      '/jobs/failed/:id/retry',
      {
        schema: {
          tags: ['jobs'],
          summary: 'Retry a failed job',
          params: z.object({ id: z.uuid() }),
          response: { 202: z.object({ data: z.object({ id: z.string(), state: z.literal('retry') }) }) },
        },
      },
      async (req, reply) => {
        const ctx = ctxOf(deps, req);
        if (!isAtLeast(ctx.actor, 'admin')) throw forbidden('Only admins can retry jobs');
        const job = (await deps.jobs.listFailed({ accountId: ctx.accountId, limit: 1000 })).find((j) => j.id === req.params.id);
        if (!job) throw notFound('Failed job');
        await deps.jobs.retry(job.name, job.id);
        return reply.status(202).send({ data: { id: job.id, state: 'retry' as const } });
      },
    );
  },
};
