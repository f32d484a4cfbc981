import { ZAttachmentEnvelope, ZAttachmentLimits, ZAttachmentParams, ZAttachmentUploadQuery, ZConversationParams } from '@touchpoint/shared';
import { z } from 'zod';
import { authorize } from '../../../platform/authz';
import { forbidden } from '../../../platform/errors';
import { ctxOf } from '../../../platform/http/auth';
import type { App, AppDeps } from '../../../platform/module';
import { command, read } from '../../../platform/tx';
import { attachmentLimitsOf, readAttachment, sendAttachment, storeAttachment, uploadedFile, withUploads } from '../../attachments';
import { canReadConversations, conversationPolicy } from '../policy';
import { getConversation } from '../queries';

const tags = ['attachments'];

/**
 * Agents' files: upload to a conversation (then send with a message's `attachmentIds`), download any file of the
 * account's conversations, and read the limits the composer should enforce before uploading.
 */
export function registerAttachmentRoutes(app: App, deps: AppDeps): void {
  const limits = attachmentLimitsOf(deps.config);

  app.get(
    '/attachments/limits',
    { schema: { tags, summary: 'The size and type limits of attachments', response: { 200: z.object({ data: ZAttachmentLimits }) } } },
    async (req) => {
      ctxOf(deps, req);
      return { data: limits };
    },
  );

  app.get(
    '/attachments/:id',
    {
      schema: {
        tags,
        summary: 'Download an attachment (images inline, other files as downloads; ?download=1 forces a download)',
        params: ZAttachmentParams,
        querystring: z.object({ download: z.enum(['0', '1']).optional() }),
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(deps, req);
      if (!canReadConversations(ctx.actor)) throw forbidden();
      const row = await read(ctx, (tx) => readAttachment(tx, ctx.accountId, req.params.id));
      return sendAttachment(reply, row, { download: req.query.download === '1' });
    },
  );

  withUploads(app, limits, (scope) => {
    scope.post(
      '/conversations/:id/attachments',
      {
        schema: {
          tags,
          summary: 'Upload a file to a conversation: the body is the file, Content-Type its type, ?filename= its name',
          params: ZConversationParams,
          querystring: ZAttachmentUploadQuery,
          response: { 201: ZAttachmentEnvelope },
        },
      },
      async (req, reply) => {
        const ctx = ctxOf(deps, req);
        const file = uploadedFile(req, limits);
        const stored = await command(ctx, async (tx) => {
          const { conversation: conv } = await getConversation(tx, ctx.accountId, req.params.id);
          authorize(ctx.actor, conversationPolicy, 'note', conv);
          const a = ctx.actor;
          return storeAttachment(tx, {
            accountId: ctx.accountId,
            conversationId: conv.id,
            filename: req.query.filename,
            ...file,
            uploader: a.kind === 'user' ? { kind: 'agent', userId: a.userId } : { kind: 'system' },
          });
        });
        return reply.status(201).send({ data: stored });
      },
    );
  });
}
