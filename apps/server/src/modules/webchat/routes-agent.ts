import { ZIdParams, ZReadMarkerEnvelope } from '@touchpoint/shared';
import { ctxOf } from '../../platform/http/auth';
import type { App, AppDeps } from '../../platform/module';
import { recordAgentRead } from './commands/read-state';
import { agentTyping } from './commands/typing';

/** The agents' side of the web chat's live signals, used by the workspace's conversation view. */
export function registerAgentWebchatRoutes(app: App, deps: AppDeps): void {
  app.post(
    '/conversations/:id/read-marker',
    {
      schema: {
        tags: ['webchat'],
        summary: 'Record that I read this conversation (web chat: the visitor sees "Seen"); other channels: no-op',
        params: ZIdParams,
        response: { 200: ZReadMarkerEnvelope },
      },
    },
    async (req) => {
      const marker = await recordAgentRead(ctxOf(deps, req), req.params.id);
      return { data: { agentReadAt: marker?.agentReadAt.toISOString() ?? null } };
    },
  );

  app.post(
    '/conversations/:id/typing',
    {
      schema: {
        tags: ['webchat'],
        summary: "I am writing a reply: an ephemeral signal to the customer's widget and the conversation's followers",
        params: ZIdParams,
      },
    },
    async (req, reply) => {
      await agentTyping(ctxOf(deps, req), deps.hub, req.params.id);
      return reply.status(204).send();
    },
  );
}
