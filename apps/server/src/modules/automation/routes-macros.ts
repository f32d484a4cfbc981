import {
  ZApplyMacroParams,
  ZConversation,
  ZCreateMacroBody,
  ZIdParams,
  ZListMacrosQuery,
  ZMacroEnvelope,
  ZMacroPage,
  ZMacroPreviewBody,
  ZMacroPreviewEnvelope,
  ZMessage,
  ZUpdateMacroBody,
} from '@touchpoint/shared';
import { z } from 'zod';
import { abilitiesFor, isStaff } from '../../platform/authz';
import type { Actor } from '../../platform/context';
import { forbidden } from '../../platform/errors';
import { ctxOf } from '../../platform/http/auth';
import type { App, AppDeps } from '../../platform/module';
import { read } from '../../platform/tx';
import { presentConversation, presentMessage } from '../conversations';
import { applyMacro, previewMacro } from './commands/apply-macro';
import { createMacro } from './commands/create-macro';
import { deleteMacro, updateMacro } from './commands/update-macro';
import { getVisibleMacro, listMacros } from './macro-queries';
import { macroPolicy } from './policy';
import { presentMacro, type MacroRow } from './presenters';

const tags = ['macros'];
const policies = (actor: Actor, rows: MacroRow[]) => rows.map((m) => ({ id: m.id, abilities: abilitiesFor(actor, macroPolicy, m) }));

export function registerMacroRoutes(app: App, deps: AppDeps): void {
  const one = (actor: Actor, row: MacroRow) => ({ data: presentMacro(row), policies: policies(actor, [row]) });

  app.post(
    '/macros',
    { schema: { tags, summary: 'Create a macro (canned response)', body: ZCreateMacroBody, response: { 201: ZMacroEnvelope } } },
    async (req, reply) => {
      const ctx = ctxOf(deps, req);
      return reply.status(201).send(one(ctx.actor, await createMacro(ctx, req.body)));
    },
  );

  app.get(
    '/macros',
    { schema: { tags, summary: 'List shared macros and your own, by name', querystring: ZListMacrosQuery, response: { 200: ZMacroPage } } },
    async (req) => {
      const ctx = ctxOf(deps, req);
      if (!isStaff(ctx.actor)) throw forbidden();
      const page = await read(ctx, (tx) => listMacros(tx, ctx.actor, req.query));
      return {
        data: page.items.map(presentMacro),
        page: { nextCursor: page.nextCursor, limit: req.query.limit },
        policies: policies(ctx.actor, page.items),
      };
    },
  );

  app.get(
    '/macros/:id',
    { schema: { tags, summary: 'Get a macro', params: ZIdParams, response: { 200: ZMacroEnvelope } } },
    async (req) => {
      const ctx = ctxOf(deps, req);
      return one(ctx.actor, await read(ctx, (tx) => getVisibleMacro(tx, ctx.actor, req.params.id)));
    },
  );

  app.patch(
    '/macros/:id',
    { schema: { tags, summary: 'Update a macro', params: ZIdParams, body: ZUpdateMacroBody, response: { 200: ZMacroEnvelope } } },
    async (req) => {
      const ctx = ctxOf(deps, req);
      return one(ctx.actor, await updateMacro(ctx, req.params.id, req.body));
    },
  );

  app.delete(
    '/macros/:id',
    { schema: { tags, summary: 'Delete a macro', params: ZIdParams, response: { 204: z.null() } } },
    async (req, reply) => {
      const ctx = ctxOf(deps, req);
      await deleteMacro(ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/macros/:id/preview',
    {
      schema: {
        tags,
        summary: 'Render a macro for a conversation (changes nothing)',
        params: ZIdParams,
        body: ZMacroPreviewBody,
        response: { 200: ZMacroPreviewEnvelope },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      return { data: await previewMacro(ctx, req.params.id, req.body.conversationId) };
    },
  );

  app.post(
    '/conversations/:id/macros/:macroId',
    {
      schema: {
        tags,
        summary: 'Apply a macro: send its reply and apply its actions',
        params: ZApplyMacroParams,
        response: { 200: z.object({ data: z.object({ message: ZMessage, conversation: ZConversation }) }) },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      const r = await applyMacro(ctx, { macroId: req.params.macroId, conversationId: req.params.id });
      return { data: { message: presentMessage(r.message), conversation: presentConversation(r.conversation) } };
    },
  );
}
