import { envelope, pageEnvelope, ZAddIdentityBody, ZCustomerIdentity, ZIdentityParams, ZIdParams, ZPageQuery } from '@touchpoint/shared';
import { z } from 'zod';
import { authorize } from '../../platform/authz';
import { ctxOf } from '../../platform/http/auth';
import type { App, AppDeps } from '../../platform/module';
import { read } from '../../platform/tx';
import { addIdentity } from './commands/add-identity';
import { removeIdentity } from './commands/remove-identity';
import { customerPolicy } from './policy';
import { presentIdentity } from './presenters';
import { getCustomerById, listIdentitiesPage } from './queries';

const tags = ['customers'];

export function registerIdentityRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/customers/:id/identities',
    {
      schema: {
        tags,
        summary: 'Identities of a customer, oldest first',
        params: ZIdParams,
        querystring: ZPageQuery,
        response: { 200: pageEnvelope(ZCustomerIdentity) },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      authorize(ctx.actor, customerPolicy, 'read', null);
      const { items, nextCursor } = await read(ctx, async (tx) => {
        const customer = await getCustomerById(tx, ctx.accountId, req.params.id);
        return listIdentitiesPage(tx, ctx.accountId, customer.id, req.query);
      });
      return { data: items.map(presentIdentity), page: { nextCursor, limit: req.query.limit } };
    },
  );

  app.post(
    '/customers/:id/identities',
    {
      schema: {
        tags,
        summary: 'Add an identity (201; 200 if the customer already has it; 409 with details.customerId if another customer owns it)',
        params: ZIdParams,
        body: ZAddIdentityBody,
        response: { 200: envelope(ZCustomerIdentity), 201: envelope(ZCustomerIdentity) },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(deps, req);
      const { identity, added } = await addIdentity(ctx, req.params.id, req.body);
      return reply.status(added ? 201 : 200).send({ data: presentIdentity(identity) });
    },
  );

  app.delete(
    '/customers/:id/identities/:identityId',
    { schema: { tags, summary: 'Remove an identity (the last one too)', params: ZIdentityParams, response: { 204: z.null() } } },
    async (req, reply) => {
      const ctx = ctxOf(deps, req);
      await removeIdentity(ctx, req.params.id, req.params.identityId);
      return reply.status(204).send(null);
    },
  );
}
