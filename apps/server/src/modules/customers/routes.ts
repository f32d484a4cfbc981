import {
  envelope,
  pageEnvelope,
  ZCreateCustomerBody,
  ZCustomer,
  ZIdParams,
  ZListCustomersQuery,
  ZMergeCustomersBody,
  ZTimelinePage,
  ZTimelineQuery,
  ZUpdateCustomerBody,
} from '@touchpoint/shared';
import { abilitiesFor, authorize } from '../../platform/authz';
import type { Actor } from '../../platform/context';
import { ctxOf } from '../../platform/http/auth';
import type { App, AppDeps } from '../../platform/module';
import { read } from '../../platform/tx';
import { createCustomer } from './commands/create-customer';
import { mergeCustomers } from './commands/merge-customers';
import { updateCustomer } from './commands/update-customer';
import { listCustomers } from './list-customers';
import { customerPolicy } from './policy';
import { presentCustomer, type CustomerRow } from './presenters';
import { getCustomerById, listIdentitiesOf } from './queries';
import { registerIdentityRoutes } from './routes-identities';
import { registerNoteRoutes } from './routes-notes';
import { registerSuggestionRoutes } from './routes-suggestions';
import { listTimeline } from './timeline';

const tags = ['customers'];
export const policiesFor = (actor: Actor, rows: CustomerRow[]) =>
  rows.map((r) => ({ id: r.id, abilities: abilitiesFor(actor, customerPolicy, r) }));

export function registerCustomerRoutes(app: App, deps: AppDeps): void {
  app.post(
    '/customers',
    {
      schema: {
        tags,
        summary: 'Create a customer (409 with details.customerId when an identity is taken)',
        body: ZCreateCustomerBody,
        response: { 201: envelope(ZCustomer) },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(deps, req);
      const { customer, identities } = await createCustomer(ctx, req.body);
      return reply.status(201).send({ data: presentCustomer(customer, identities), policies: policiesFor(ctx.actor, [customer]) });
    },
  );

  app.get(
    '/customers',
    {
      schema: {
        tags,
        summary: 'List or search customers (merged profiles excluded)',
        querystring: ZListCustomersQuery,
        response: { 200: pageEnvelope(ZCustomer) },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      authorize(ctx.actor, customerPolicy, 'read', null);
      const { items, nextCursor } = await read(ctx, (tx) => listCustomers(tx, ctx.accountId, req.query));
      return {
        data: items.map((c) => presentCustomer(c)),
        page: { nextCursor, limit: req.query.limit },
        policies: policiesFor(ctx.actor, items),
      };
    },
  );

  app.get(
    '/customers/:id',
    {
      schema: {
        tags,
        summary: 'A customer with identities; a merged one carries mergedIntoId',
        params: ZIdParams,
        response: { 200: envelope(ZCustomer) },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      authorize(ctx.actor, customerPolicy, 'read', null);
      const { customer, identities } = await read(ctx, async (tx) => {
        const customer = await getCustomerById(tx, ctx.accountId, req.params.id);
        return { customer, identities: await listIdentitiesOf(tx, ctx.accountId, customer.id) };
      });
      return { data: presentCustomer(customer, identities), policies: policiesFor(ctx.actor, [customer]) };
    },
  );

  app.patch(
    '/customers/:id',
    {
      schema: {
        tags,
        summary: 'Update a customer (null clears a field; attributes is a merge patch)',
        params: ZIdParams,
        body: ZUpdateCustomerBody,
        response: { 200: envelope(ZCustomer) },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      const { customer, identities } = await updateCustomer(ctx, req.params.id, req.body);
      return { data: presentCustomer(customer, identities), policies: policiesFor(ctx.actor, [customer]) };
    },
  );

  app.post(
    '/customers/:id/merge',
    {
      schema: {
        tags,
        summary: 'Merge sourceId INTO this customer (supervisor+); answers the survivor',
        params: ZIdParams,
        body: ZMergeCustomersBody,
        response: { 200: envelope(ZCustomer) },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      const { customer, identities } = await mergeCustomers(ctx, req.params.id, req.body.sourceId);
      return { data: presentCustomer(customer, identities), policies: policiesFor(ctx.actor, [customer]) };
    },
  );

  app.get(
    '/customers/:id/timeline',
    {
      schema: {
        tags,
        summary: 'Conversations, messages, calls, notes and events of a customer, newest first (`kind` narrows to one)',
        params: ZIdParams,
        querystring: ZTimelineQuery,
        response: { 200: ZTimelinePage },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      authorize(ctx.actor, customerPolicy, 'read', null);
      const { items, nextCursor } = await read(ctx, async (tx) => {
        const customer = await getCustomerById(tx, ctx.accountId, req.params.id);
        return listTimeline(tx, { accountId: ctx.accountId, customerId: customer.id, includeNotes: true, kind: req.query.kind }, req.query);
      });
      return { data: items, page: { nextCursor, limit: req.query.limit } };
    },
  );

  registerIdentityRoutes(app, deps);
  registerNoteRoutes(app, deps);
  registerSuggestionRoutes(app, deps);
}
