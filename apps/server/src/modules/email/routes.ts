import { ZListOutboxQuery, ZOutboxEmailPage } from '@touchpoint/shared';
import { ctxOf } from '../../platform/http/auth';
import type { App, AppDeps } from '../../platform/module';
import { listOutbox } from './outbox-queries';

export function registerEmailRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/email/outbox',
    {
      schema: {
        tags: ['email'],
        summary: 'Outgoing mail kept in the development outbox (when no SMTP relay is configured)',
        querystring: ZListOutboxQuery,
        response: { 200: ZOutboxEmailPage },
      },
    },
    async (req) => listOutbox(ctxOf(deps, req), req.query),
  );
}
