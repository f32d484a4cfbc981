import {
  ZCreateSavedViewBody,
  ZIdParams,
  ZListSavedViewsQuery,
  ZSavedViewEnvelope,
  ZSavedViewPage,
  ZUpdateSavedViewBody,
} from '@touchpoint/shared';
import { z } from 'zod';
import { isStaff } from '../../../platform/authz';
import type { Actor } from '../../../platform/context';
import { forbidden } from '../../../platform/errors';
import { ctxOf } from '../../../platform/http/auth';
import type { App, AppDeps } from '../../../platform/module';
import { read } from '../../../platform/tx';
import { createSavedView, deleteSavedView, updateSavedView } from '../commands/save-view';
import { getVisibleSavedView, listSavedViews, presentSavedView, savedViewPolicies, type SavedViewRow } from '../saved-views';

const tags = ['saved views'];

/** Saved inbox filters, personal or shared with the account (docs/inbox.md#saved-views). */
export function registerSavedViewRoutes(app: App, deps: AppDeps): void {
  const one = (actor: Actor, row: SavedViewRow) => ({ data: presentSavedView(row), policies: savedViewPolicies(actor, [row]) });

  app.get(
    '/saved-views',
    {
      schema: {
        tags,
        summary: 'My views and the shared ones, by name',
        querystring: ZListSavedViewsQuery,
        response: { 200: ZSavedViewPage },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      if (!isStaff(ctx.actor)) throw forbidden();
      const page = await read(ctx, (tx) => listSavedViews(tx, ctx.actor, req.query));
      return {
        data: page.items.map(presentSavedView),
        page: { nextCursor: page.nextCursor, limit: req.query.limit },
        policies: savedViewPolicies(ctx.actor, page.items),
      };
    },
  );

  app.post(
    '/saved-views',
    {
      schema: {
        tags,
        summary: 'Save a view (shared: supervisors and above)',
        body: ZCreateSavedViewBody,
        response: { 201: ZSavedViewEnvelope },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(deps, req);
      return reply.status(201).send(one(ctx.actor, await createSavedView(ctx, req.body)));
    },
  );

  app.get(
    '/saved-views/:id',
    { schema: { tags, summary: 'Get a saved view', params: ZIdParams, response: { 200: ZSavedViewEnvelope } } },
    async (req) => {
      const ctx = ctxOf(deps, req);
      return one(ctx.actor, await read(ctx, (tx) => getVisibleSavedView(tx, ctx.actor, req.params.id)));
    },
  );

  app.patch(
    '/saved-views/:id',
    {
      schema: {
        tags,
        summary: 'Rename, refilter, share or unshare a view',
        params: ZIdParams,
        body: ZUpdateSavedViewBody,
        response: { 200: ZSavedViewEnvelope },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      return one(ctx.actor, await updateSavedView(ctx, req.params.id, req.body));
    },
  );

  app.delete(
    '/saved-views/:id',
    { schema: { tags, summary: 'Delete a saved view', params: ZIdParams, response: { 204: z.null() } } },
    async (req, reply) => {
      const ctx = ctxOf(deps, req);
      await deleteSavedView(ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );
}
