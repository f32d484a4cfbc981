import { ZConversationParams, ZCreateMessageBody, ZListMessagesQuery, ZMessageEnvelope, ZMessagePage } from '@touchpoint/shared';
import { ctxOf } from '../../../platform/http/auth';
import { hotResponse } from '../../../platform/http/fast-serializer';
import { forbidden } from '../../../platform/errors';
import type { App, AppDeps } from '../../../platform/module';
import { read } from '../../../platform/tx';
import { createMessage } from '../commands/create-message';
import { canReadConversations } from '../policy';
import { openConversationMessages } from '../read-views';
import { presentMessage } from '../presenters';

const tags = ['conversations'];

export function registerMessageRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/conversations/:id/messages',
    {
      schema: {
        tags,
        summary: 'List messages: pages go from the newest back in time, each page in chronological order',
        params: ZConversationParams,
        querystring: ZListMessagesQuery,
        response: { 200: hotResponse(ZMessagePage) },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      if (!canReadConversations(ctx.actor)) throw forbidden();
      // One statement: the conversation's existence (404) and the page of messages.
      const page = await read(ctx, (tx) => openConversationMessages(tx, ctx.accountId, req.params.id, req.query));
      return { data: page.items, page: { nextCursor: page.nextCursor, limit: req.query.limit } };
    },
  );

  app.post(
    '/conversations/:id/messages',
    {
      schema: {
        tags,
        summary: 'Add a message: a reply (outgoing), an internal note, or a customer message (incoming). Idempotent on clientMessageId',
        params: ZConversationParams,
        body: ZCreateMessageBody,
        response: { 201: ZMessageEnvelope, 200: ZMessageEnvelope },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(deps, req);
      const r = await createMessage(ctx, { conversationId: req.params.id, ...req.body, body: req.body.body ?? '' });
      // 200 for a replayed clientMessageId: the earlier message, nothing new written.
      return reply.status(r.created ? 201 : 200).send({ data: presentMessage(r.message) });
    },
  );
}
