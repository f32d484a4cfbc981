import { ZChannelEnvelope, ZChannelPage, ZCreateChannelBody, ZPageQuery } from '@touchpoint/shared';
import { ctxOf } from '../../platform/http/auth';
import { assertAllowedDestinations } from '../../platform/outbound-http';
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
    {
      config: { minRole: 'admin' },
      schema: { tags: ['channels'], summary: 'Add a channel (admins)', body: ZCreateChannelBody, response: { 201: ZChannelEnvelope } },
    },
    async (req, reply) => {
      const ctx = ctxOf(deps, req);
      // Where replies are delivered and mail is fetched from: refused now, not at the first delivery (DNS, so before the transaction).
      const config = (req.body.config ?? {}) as { outboundUrl?: unknown; imap?: { host?: unknown } };
      await assertAllowedDestinations(
        [
          ...(typeof config.outboundUrl === 'string' ? [{ path: 'body.config.outboundUrl', target: config.outboundUrl }] : []),
          ...(typeof config.imap?.host === 'string' ? [{ path: 'body.config.imap.host', target: config.imap.host, bareHost: true }] : []),
        ],
        deps.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'on',
      );
      return reply.status(201).send({ data: await createChannel(ctx, req.body) });
    },
  );
}
