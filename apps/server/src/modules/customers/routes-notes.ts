import {
  envelope,
  pageEnvelope,
  ZCreateCustomerNoteBody,
  ZCustomerNote,
  ZCustomerNoteParams,
  ZIdParams,
  ZPageQuery,
} from '@touchpoint/shared';
import { z } from 'zod';
import { authorize } from '../../platform/authz';
import { ctxOf } from '../../platform/http/auth';
import type { App, AppDeps } from '../../platform/module';
import { read } from '../../platform/tx';
import { addCustomerNote } from './commands/add-customer-note';
import { deleteCustomerNote } from './commands/delete-customer-note';
import { listNotes, notePoliciesFor, presentNote } from './notes';
import { customerPolicy } from './policy';
import { getCustomerById } from './queries';

const tags = ['customers'];

export function registerNoteRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/customers/:id/notes',
    {
      schema: {
        tags,
        summary: 'Internal notes about a customer, newest first (staff only)',
        params: ZIdParams,
        querystring: ZPageQuery,
        response: { 200: pageEnvelope(ZCustomerNote) },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      authorize(ctx.actor, customerPolicy, 'read', null);
      const { items, nextCursor } = await read(ctx, async (tx) => {
        const customer = await getCustomerById(tx, ctx.accountId, req.params.id);
        return listNotes(tx, ctx.accountId, customer.id, req.query);
      });
      return { data: items.map(presentNote), page: { nextCursor, limit: req.query.limit }, policies: notePoliciesFor(ctx.actor, items) };
    },
  );

  app.post(
    '/customers/:id/notes',
    {
      schema: {
        tags,
        summary: 'Write an internal note about a customer (agent+; 409 on a merged-away profile)',
        params: ZIdParams,
        body: ZCreateCustomerNoteBody,
        response: { 201: envelope(ZCustomerNote) },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(deps, req);
      const note = await addCustomerNote(ctx, req.params.id, req.body);
      return reply.status(201).send({ data: presentNote(note), policies: notePoliciesFor(ctx.actor, [note]) });
    },
  );

  app.delete(
    '/customers/:id/notes/:noteId',
    {
      schema: {
        tags,
        summary: 'Delete a note about a customer (its author, or supervisor+)',
        params: ZCustomerNoteParams,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(deps, req);
      await deleteCustomerNote(ctx, req.params.id, req.params.noteId);
      return reply.status(204).send(null);
    },
  );
}
