import { envelope, pageEnvelope, ZIdParams, ZListMergeSuggestionsQuery, ZMergeSuggestion, ZMergeSuggestionBody } from '@touchpoint/shared';
import { abilitiesFor, authorize } from '../../platform/authz';
import type { Actor } from '../../platform/context';
import { ctxOf } from '../../platform/http/auth';
import type { App, AppDeps } from '../../platform/module';
import { read } from '../../platform/tx';
import { dismissSuggestion, mergeSuggestion } from './commands/decide-merge-suggestion';
import { customerPolicy } from './policy';
import { getCustomerById } from './queries';
import { listOpenSuggestions } from './suggestions';

const tags = ['customers'];

/** `merge` and `dismiss` per suggestion: both need the merge permission (supervisor and above). */
const policiesFor = (actor: Actor, items: { id: string }[]) => {
  const canMerge = abilitiesFor(actor, customerPolicy, null).merge;
  return items.map((s) => ({ id: s.id, abilities: { merge: canMerge, dismiss: canMerge } }));
};

export function registerSuggestionRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/customers/merge-suggestions',
    {
      schema: {
        tags,
        summary: 'Open merge suggestions: pairs of profiles that share an identity, newest first',
        querystring: ZListMergeSuggestionsQuery,
        response: { 200: pageEnvelope(ZMergeSuggestion) },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      authorize(ctx.actor, customerPolicy, 'read', null);
      const { items, nextCursor } = await read(ctx, (tx) => listOpenSuggestions(tx, ctx.accountId, req.query));
      return { data: items, page: { nextCursor, limit: req.query.limit }, policies: policiesFor(ctx.actor, items) };
    },
  );

  app.get(
    '/customers/:id/merge-suggestions',
    {
      schema: {
        tags,
        summary: 'Open merge suggestions involving this customer, newest first',
        params: ZIdParams,
        querystring: ZListMergeSuggestionsQuery,
        response: { 200: pageEnvelope(ZMergeSuggestion) },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      authorize(ctx.actor, customerPolicy, 'read', null);
      const { items, nextCursor } = await read(ctx, async (tx) => {
        const customer = await getCustomerById(tx, ctx.accountId, req.params.id);
        return listOpenSuggestions(tx, ctx.accountId, { ...req.query, customerId: customer.id });
      });
      return { data: items, page: { nextCursor, limit: req.query.limit }, policies: policiesFor(ctx.actor, items) };
    },
  );

  app.post(
    '/customers/merge-suggestions/:id/merge',
    {
      schema: {
        tags,
        summary: 'Merge the pair, survivorId surviving (supervisor+); 409 once the suggestion is no longer open',
        params: ZIdParams,
        body: ZMergeSuggestionBody,
        response: { 200: envelope(ZMergeSuggestion) },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      const { suggestion } = await mergeSuggestion(ctx, req.params.id, req.body.survivorId);
      return { data: suggestion, policies: policiesFor(ctx.actor, [suggestion]) };
    },
  );

  app.post(
    '/customers/merge-suggestions/:id/dismiss',
    {
      schema: {
        tags,
        summary: 'Dismiss: the two profiles are different people (supervisor+); 409 once no longer open',
        params: ZIdParams,
        response: { 200: envelope(ZMergeSuggestion) },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      const { suggestion } = await dismissSuggestion(ctx, req.params.id);
      return { data: suggestion, policies: policiesFor(ctx.actor, [suggestion]) };
    },
  );
}
