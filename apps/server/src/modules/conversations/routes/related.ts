import { ZConversationParams, ZRelatedConversationsEnvelope } from '@touchpoint/shared';
import { authorize } from '../../../platform/authz';
import { ctxOf } from '../../../platform/http/auth';
import type { App, AppDeps } from '../../../platform/module';
import { read } from '../../../platform/tx';
import { conversationPolicy } from '../policy';
import { getConversation } from '../queries';
import { listRelatedConversations } from '../related';

const tags = ['conversations'];

export function registerRelatedRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/conversations/:id/related',
    {
      schema: {
        tags,
        summary: "The customer's other conversations on every channel (last 30 days, at most 10, most recent first)",
        params: ZConversationParams,
        response: { 200: ZRelatedConversationsEnvelope },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      const related = await read(ctx, async (tx) => {
        const { conversation } = await getConversation(tx, ctx.accountId, req.params.id);
        authorize(ctx.actor, conversationPolicy, 'read', conversation);
        return listRelatedConversations(tx, ctx.accountId, conversation);
      });
      return { data: related };
    },
  );
}
