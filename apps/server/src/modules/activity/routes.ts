import { ZActivityPage, ZActivityQuery, ZConversationParams } from '@touchpoint/shared';
import { isStaff } from '../../platform/authz';
import { forbidden, notFound } from '../../platform/errors';
import { ctxOf } from '../../platform/http/auth';
import type { App, AppDeps } from '../../platform/module';
import { keysetPage, parseKeyset } from '../../platform/pagination';
import { read } from '../../platform/tx';
import { conversationExists } from '../conversations';
import { routingPolicy } from '../routing';
import { presentActivity, referencedIds } from './presenters';
import { listActivityRows, namesOf } from './queries';

export function registerActivityRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/conversations/:id/activity',
    {
      schema: {
        tags: ['conversations'],
        summary:
          'What happened to a conversation besides its messages (assignment, team, priority, status, snooze, tags, SLA breaches, routing decisions), newest first',
        params: ZConversationParams,
        querystring: ZActivityQuery,
        response: { 200: ZActivityPage },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      if (!isStaff(ctx.actor)) throw forbidden();
      const before = parseKeyset(req.query.cursor);
      const limit = req.query.limit;
      // Routing decisions only for those who may read them (the same rule as GET /conversations/:id/routing-decisions).
      const withRouting = routingPolicy.read_routing(ctx.actor, ctx.accountId);
      return read(ctx, async (tx) => {
        if (!(await conversationExists(tx, ctx.accountId, req.params.id))) throw notFound('Conversation');
        const rows = await listActivityRows(tx, ctx.accountId, req.params.id, { limit, before, withRouting });
        const page = keysetPage(rows, limit, (r) => ({ at: r.at, id: r.id }));
        const names = await namesOf(tx, ctx.accountId, referencedIds(page.items));
        return {
          data: page.items.map((r) => presentActivity(r, names)).filter((x) => x !== null),
          page: { nextCursor: page.nextCursor, limit },
        };
      });
    },
  );
}
