import {
  ZChannelDetailsEnvelope,
  ZChannelEnvelope,
  ZChannelPage,
  ZCreateChannelBody,
  ZIdParams,
  ZPageQuery,
  ZUpdateChannelBody,
} from '@touchpoint/shared';
import { z } from 'zod';
import { ctxOf, noStore } from '../../platform/http/auth';
import { assertAllowedDestinations } from '../../platform/outbound-http';
import type { App, AppDeps } from '../../platform/module';
import { archiveChannel } from './commands/archive-channel';
import { createChannel } from './commands/create-channel';
import { rotateChannelSecret } from './commands/rotate-channel-secret';
import { updateChannel } from './commands/update-channel';
import { getChannel, listChannels } from './queries';
import { setupEnv } from './setup';

const tags = ['channels'];
/** Declared on the route too, so a caller below it is 403 before the body is looked at; the commands still check. */
const ADMINS = { minRole: 'admin' } as const;

/**
 * Where replies are delivered and mail is fetched from, as a create or a PATCH names them: refused now (422), not at
 * the first delivery. DNS, so before the command's transaction; checked again at connect time.
 */
async function assertDestinations(deps: AppDeps, config: Record<string, unknown> | undefined): Promise<void> {
  const c = (config ?? {}) as { outboundUrl?: unknown; imap?: { host?: unknown } | null };
  await assertAllowedDestinations(
    [
      ...(typeof c.outboundUrl === 'string' ? [{ path: 'body.config.outboundUrl', target: c.outboundUrl }] : []),
      ...(typeof c.imap?.host === 'string' ? [{ path: 'body.config.imap.host', target: c.imap.host, bareHost: true }] : []),
    ],
    deps.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'on',
  );
}

export function registerChannelRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/channels',
    {
      schema: {
        tags,
        summary: 'List the channels of this account (archived ones are left out; secrets never shown)',
        querystring: ZPageQuery,
        response: { 200: ZChannelPage },
      },
    },
    async (req) => listChannels(ctxOf(deps, req), req.query),
  );

  app.post(
    '/channels',
    {
      config: ADMINS,
      schema: {
        tags,
        summary: 'Add a channel (admins); `webhookSecret` is shown in this answer',
        body: ZCreateChannelBody,
        response: { 201: ZChannelEnvelope },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(deps, req);
      await assertDestinations(deps, req.body.config);
      noStore(reply);
      return reply.status(201).send({ data: await createChannel(ctx, req.body) });
    },
  );

  app.get(
    '/channels/:id',
    {
      schema: {
        tags,
        summary: 'One channel and how to connect it: widget snippet, email intake, webhook URL (never its secret)',
        params: ZIdParams,
        response: { 200: ZChannelDetailsEnvelope },
      },
    },
    async (req) => getChannel(ctxOf(deps, req), req.params.id, setupEnv(deps.config, req)),
  );

  app.patch(
    '/channels/:id',
    {
      config: ADMINS,
      schema: {
        tags,
        summary: 'Rename, enable or disable a channel, or change its config (a JSON merge patch) (admins)',
        params: ZIdParams,
        body: ZUpdateChannelBody,
        response: { 200: ZChannelEnvelope },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      await assertDestinations(deps, req.body.config);
      return { data: await updateChannel(ctx, req.params.id, req.body) };
    },
  );

  app.delete(
    '/channels/:id',
    {
      config: ADMINS,
      schema: {
        tags,
        summary: 'Archive a channel (admins): no more intake or delivery; its conversations stay',
        params: ZIdParams,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await archiveChannel(ctxOf(deps, req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/channels/:id/secret',
    {
      config: ADMINS,
      schema: {
        tags,
        summary: 'Rotate the webhook secret (admins): the new one is shown in this answer only; the old one stops verifying at once',
        params: ZIdParams,
        response: { 200: ZChannelEnvelope },
      },
    },
    async (req, reply) => {
      const data = await rotateChannelSecret(ctxOf(deps, req), req.params.id);
      noStore(reply);
      return { data };
    },
  );
}
