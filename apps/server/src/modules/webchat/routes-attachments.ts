import { ZAttachmentEnvelope, ZAttachmentUploadQuery, ZWidgetParams } from '@touchpoint/shared';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Ctx } from '../../platform/context';
import { conflict, notFound } from '../../platform/errors';
import type { App, AppDeps } from '../../platform/module';
import { command, read } from '../../platform/tx';
import { attachmentLimitsOf, readCustomerAttachment, sendAttachment, storeAttachment, uploadedFile, withUploads } from '../attachments';
import { latestConversationOn } from '../conversations';
import { visitorOf, webChannel } from './auth';
import { conversationChannelId, type VisitorRow } from './queries';

const tags = ['webchat'];
const VISITOR_ROUTE = { auth: 'visitor' } as const;

const asVisitor = (deps: AppDeps, req: FastifyRequest, v: VisitorRow): Ctx => ({
  db: deps.database.db,
  events: deps.events,
  requestId: req.id,
  accountId: v.accountId,
  actor: { kind: 'customer', customerId: v.customerId, accountId: v.accountId, channelId: v.channelId },
});

/**
 * The visitor's files: an upload goes into their conversation in progress on the channel (the widget then sends it
 * with a message's `attachmentIds`); a download is any file of their conversations on this channel that was sent
 * to them or that they uploaded, never one of an internal note. Limits: ATTACHMENTS_MAX_BYTES / _ALLOWED_TYPES.
 */
export function registerWidgetAttachmentRoutes(app: App, deps: AppDeps): void {
  const limits = attachmentLimitsOf(deps.config);

  withUploads(app, limits, (scope) => {
    scope.post(
      '/widget/:channelId/attachments',
      {
        config: VISITOR_ROUTE,
        schema: {
          tags,
          summary: "Upload a file to the visitor's conversation in progress: the body is the file, Content-Type its type",
          params: ZWidgetParams,
          querystring: ZAttachmentUploadQuery,
          response: { 201: ZAttachmentEnvelope },
        },
        // Before the body is read: a stranger cannot make the server buffer a file.
        onRequest: async (req: FastifyRequest<{ Params: { channelId: string } }>) => {
          req.webchatVisitor = await visitorOf(deps, req, await webChannel(deps, req.params.channelId));
        },
      },
      async (req, reply) => {
        const v = req.webchatVisitor!;
        const file = uploadedFile(req, limits);
        const ctx = asVisitor(deps, req, v);
        const stored = await command(ctx, async (tx) => {
          const conversationId = await latestConversationOn(tx, v.accountId, {
            customerId: v.customerId,
            channelId: v.channelId,
            statuses: ['open', 'pending', 'snoozed'],
          });
          if (!conversationId) throw conflict('Send a message first: files go into the conversation in progress');
          return storeAttachment(tx, {
            accountId: v.accountId,
            conversationId,
            filename: req.query.filename,
            ...file,
            uploader: { kind: 'customer', customerId: v.customerId },
          });
        });
        return reply.status(201).send({ data: stored });
      },
    );
  });

  app.get(
    '/widget/:channelId/attachments/:id',
    {
      config: VISITOR_ROUTE,
      schema: {
        tags,
        summary: "Download a file of the visitor's conversations on this channel (Authorization: Bearer <visitor token>)",
        params: ZWidgetParams.extend({ id: z.uuid() }),
      },
    },
    async (req, reply) => {
      const v = await visitorOf(deps, req, await webChannel(deps, req.params.channelId));
      const row = await read(asVisitor(deps, req, v), async (tx) => {
        const found = await readCustomerAttachment(tx, v.accountId, req.params.id, v.customerId);
        // The token opens this channel's conversations only, like the history.
        if ((await conversationChannelId(tx, v.accountId, found.conversationId)) !== v.channelId) throw notFound('Attachment');
        return found;
      });
      return sendAttachment(reply, row, { download: true });
    },
  );
}
