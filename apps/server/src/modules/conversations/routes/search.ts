import { ZSearchPage, ZSearchQuery } from '@touchpoint/shared';
import { forbidden, invalid } from '../../../platform/errors';
import { ctxOf } from '../../../platform/http/auth';
import type { App, AppDeps } from '../../../platform/module';
import { read } from '../../../platform/tx';
import { canReadConversations } from '../policy';
import { presentConversation } from '../presenters';
import { searchConversations, searchCustomers } from '../search';

export function registerSearchRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/search',
    {
      schema: {
        tags: ['search'],
        summary:
          'Full-text search over conversations (message bodies; by status) or customers; ranked, best 100 hits reachable, highlighted snippets',
        querystring: ZSearchQuery,
        response: { 200: ZSearchPage },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      if (!canReadConversations(ctx.actor)) throw forbidden();
      const q = req.query;
      if (q.type === 'customers') {
        if (q.status) throw invalid('querystring.status', 'Only conversations have a status');
        const page = await read(ctx, (tx) => searchCustomers(tx, ctx.accountId, q));
        return {
          data: page.items.map((r) => ({ type: 'customer' as const, rank: r.rank, customer: r.customer, snippetHtml: r.snippetHtml })),
          page: { nextCursor: page.nextCursor, limit: q.limit },
        };
      }
      const page = await read(ctx, (tx) => searchConversations(tx, ctx.accountId, q));
      return {
        data: page.items.map((r) => ({
          type: 'conversation' as const,
          rank: r.rank,
          conversation: presentConversation(r.conversation, r.customer),
          messageId: r.messageId,
          snippetHtml: r.snippetHtml,
        })),
        page: { nextCursor: page.nextCursor, limit: q.limit },
      };
    },
  );
}
