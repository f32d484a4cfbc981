import { ZChannelEnvelope, ZChannelPage, ZCreateChannelBody, ZPageQuery } from '@touchpoint/shared';
import { ctxOf } from '../../platform/http/auth';
import type { App, AppDeps } from '../../platform/module';
import { createChannel } from './commands/create-channel';
import { listChannels } from './queries';

export function registerChannelRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/channels',
    {
      schema: {
        tags: ['channels'],
        summary: 'List the channels of this account',
        querystring: ZPageQuery,
        response: { 200: ZChannelPage },
      },
    },
    async (req) => listChannels(ctxOf(deps, req), req.query),
  );

  app.post(
    '/channels',
    { schema: { tags: ['channels'], summary: 'Add a channel (admins)', body: ZCreateChannelBody, response: { 201: ZChannelEnvelope } } },
    async (req, reply) => reply.status(201).send({ data: await createChannel(ctxOf(deps, req), req.body) }),
  );
}
