import { ZApiKeyPage, ZCreateApiKeyBody, ZCreatedApiKeyEnvelope, ZIdParams, ZPageQuery } from '@touchpoint/shared';
import { z } from 'zod';
import { ctxOf, noStore } from '../../../platform/http/auth';
import type { App, AppDeps } from '../../../platform/module';
import { createApiKey } from '../commands/create-api-key';
import { revokeApiKey } from '../commands/revoke-api-key';
import { listApiKeys } from '../list-queries';
import { MIN_ROLE } from '../policy';

// Declared on the route too, so a caller below it is 403 before the body is looked at; the commands still check.
const ADMINS = { minRole: MIN_ROLE.manage_api_keys };

export function registerApiKeyRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/api-keys',
    {
      config: ADMINS,
      schema: {
        tags: ['api-keys'],
        summary: 'List API keys (admins); secrets are never shown',
        querystring: ZPageQuery,
        response: { 200: ZApiKeyPage },
      },
    },
    async (req) => listApiKeys(ctxOf(deps, req), req.query),
  );

  app.post(
    '/api-keys',
    {
      config: ADMINS,
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key (admins); `secret` is shown once',
        body: ZCreateApiKeyBody,
        response: { 201: ZCreatedApiKeyEnvelope },
      },
    },
    async (req, reply) => {
      const data = await createApiKey(ctxOf(deps, req), req.body);
      noStore(reply);
      return reply.status(201).send({ data });
    },
  );

  app.delete(
    '/api-keys/:id',
    { schema: { tags: ['api-keys'], summary: 'Revoke an API key (admins)', params: ZIdParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await revokeApiKey(ctxOf(deps, req), req.params.id);
      deps.authenticator.forget(`api_key:${req.params.id}`);
      return reply.status(204).send(null);
    },
  );
}
