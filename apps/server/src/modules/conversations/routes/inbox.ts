import { ZBulkConversationsBody, ZBulkResultEnvelope, ZConversationParams, ZMarkReadBody, ZReadStateEnvelope } from '@touchpoint/shared';
import { ctxOf } from '../../../platform/http/auth';
import type { App, AppDeps } from '../../../platform/module';
import { bulkUpdateConversations } from '../commands/bulk-update-conversations';
import { markConversationRead, markConversationUnread } from '../commands/mark-conversation-read';

const tags = ['conversations'];

/** The inbox's actions on many conversations and the caller's own read state (docs/inbox.md). */
export function registerInboxRoutes(app: App, deps: AppDeps): void {
  app.post(
    '/conversations/bulk',
    {
      config: { minRole: 'agent' },
      schema: {
        tags,
        summary: 'One action on up to 100 conversations: applied to each it can be, failures reported per id',
        body: ZBulkConversationsBody,
        response: { 200: ZBulkResultEnvelope },
      },
    },
    async (req) => ({ data: await bulkUpdateConversations(ctxOf(deps, req), req.body) }),
  );

  app.post(
    '/conversations/:id/read',
    {
      schema: {
        tags,
        summary: 'Mark read for me (my inbox only; the web chat visitor\'s "Seen" is POST /conversations/:id/read-marker)',
        params: ZConversationParams,
        body: ZMarkReadBody.nullish(), // no body at all: now
        response: { 200: ZReadStateEnvelope },
      },
    },
    async (req) => {
      const upTo = req.body?.readAt ? new Date(req.body.readAt) : undefined;
      return { data: await markConversationRead(ctxOf(deps, req), req.params.id, upTo) };
    },
  );

  app.delete(
    '/conversations/:id/read',
    {
      schema: { tags, summary: 'Mark unread for me', params: ZConversationParams, response: { 200: ZReadStateEnvelope } },
    },
    async (req) => ({ data: await markConversationUnread(ctxOf(deps, req), req.params.id) }),
  );
}
