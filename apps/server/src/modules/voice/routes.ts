import { ZCallEventAnswer, ZCallEventBody, ZCallList, ZConversationParams } from '@touchpoint/shared';
import { authorize } from '../../platform/authz';
import { ctxOf } from '../../platform/http/auth';
import type { App, AppDeps } from '../../platform/module';
import { read } from '../../platform/tx';
import { registerSignedWebhook } from '../channels';
import { getConversation } from '../conversations';
import { recordCallEvent } from './commands/record-call-event';
import { callPolicy } from './policy';
import { presentCall } from './presenters';
import { listCallsOfConversation } from './queries';

export function registerVoiceRoutes(app: App, deps: AppDeps): void {
  registerSignedWebhook(app, deps, {
    path: '/channels/:channelId/voice/events',
    kinds: ['voice'],
    summary: 'Telephony call events (signed; see docs/channels.md#voice)',
    schema: ZCallEventBody,
    handle: async (ctx, channel, body) => {
      const r = await recordCallEvent(ctx, channel, body);
      return ZCallEventAnswer.shape.data.parse({ duplicate: r.duplicate, callId: r.call?.id });
    },
  });

  app.get(
    '/conversations/:id/calls',
    {
      schema: {
        tags: ['voice'],
        summary: 'The phone calls of a conversation, with every raw timestamp and hold span (agents and above)',
        params: ZConversationParams,
        response: { 200: ZCallList },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      const rows = await read(ctx, async (tx) => {
        const { conversation } = await getConversation(tx, ctx.accountId, req.params.id);
        authorize(ctx.actor, callPolicy, 'read', conversation);
        return listCallsOfConversation(tx, ctx.accountId, conversation.id);
      });
      return { data: rows.map(presentCall) };
    },
  );
}
