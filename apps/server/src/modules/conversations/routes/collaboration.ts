import { VIEWING_SIGNAL, ZConversationParams, ZReplyChannelList, ZViewingBody } from '@touchpoint/shared';
import { z } from 'zod';
import { forbidden } from '../../../platform/errors';
import { ctxOf } from '../../../platform/http/auth';
import type { App, AppDeps } from '../../../platform/module';
import { read } from '../../../platform/tx';
import { canReadConversations } from '../policy';
import { getConversation } from '../queries';
import { listReplyChannels } from '../reply-channels';

const tags = ['conversations'];

/** The conversation pane's collaboration: where a reply can go, and who else has the conversation open. */
export function registerCollaborationRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/conversations/:id/reply-channels',
    {
      schema: {
        tags,
        summary: "The channels a reply can go out on: the conversation's own, then the customer's other reachable ones",
        params: ZConversationParams,
        response: { 200: ZReplyChannelList },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      if (!canReadConversations(ctx.actor)) throw forbidden();
      return read(ctx, async (tx) => {
        const { conversation } = await getConversation(tx, ctx.accountId, req.params.id);
        return { data: await listReplyChannels(tx, ctx.accountId, conversation) };
      });
    },
  );

  app.post(
    '/conversations/:id/viewing',
    {
      schema: {
        tags,
        summary:
          'I have this conversation open (a heartbeat every 20 s), am writing a note, or left: an ephemeral signal to its other viewers',
        params: ZConversationParams,
        body: ZViewingBody,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(deps, req);
      const actor = ctx.actor;
      // Collision detection is between people; an integration has no face to show.
      if (actor.kind !== 'user') throw forbidden('Only people view conversations');
      const { conversation } = await read(ctx, (tx) => getConversation(tx, ctx.accountId, req.params.id));
      // No customer id and no channel in the payload: the web chat's wire router never sends it to a visitor.
      deps.hub.signal(ctx.accountId, [`conversation:${conversation.id}`], {
        type: VIEWING_SIGNAL,
        conversationId: conversation.id,
        customerId: null,
        actor: { kind: 'user', id: actor.userId },
        payload: { conversationId: conversation.id, userId: actor.userId, name: actor.name, state: req.body.state },
      });
      return reply.status(204).send(null);
    },
  );
}
