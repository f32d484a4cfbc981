import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { withTenant } from '../../db/tenant';
import { notFound } from '../../platform/errors';
import type { App, AppDeps } from '../../platform/module';
import { readAttachment, sendAttachment } from '../attachments';
import { webhookChannel } from '../channels';

/** How long a file link in a delivery stays valid: providers fetch media within minutes; a day allows for retries. */
export const LINK_TTL_SECONDS = 24 * 60 * 60;

const sign = (secret: string, attachmentId: string, expires: number) =>
  createHmac('sha256', secret).update(`attachment.${attachmentId}.${expires}`).digest('hex');

/**
 * A link the channel's provider can fetch a reply's file from without credentials: signed with the channel's
 * webhookSecret and expiring, so it cannot be guessed, reused for another file, or kept forever. Absolute when
 * PUBLIC_URL is set (providers need that), else a path.
 */
export function attachmentLink(base: string, channel: { id: string; secret: string }, attachmentId: string, now = Date.now()): string {
  const expires = Math.floor(now / 1000) + LINK_TTL_SECONDS;
  const path = `/api/v1/channels/${channel.id}/attachments/${attachmentId}`;
  return `${base.replace(/\/+$/, '')}${path}?expires=${expires}&signature=${sign(channel.secret, attachmentId, expires)}`;
}

/** Adds a signed `url` to every stored file (those with an `id`) of a message's attachments. */
export function withLinks(attachments: unknown[], base: string, channel: { id: string; secret: string }): unknown[] {
  return attachments.map((a) =>
    a && typeof a === 'object' && typeof (a as { id?: unknown }).id === 'string'
      ? { ...a, url: attachmentLink(base, channel, (a as { id: string }).id) }
      : a,
  );
}

function validSignature(secret: string, attachmentId: string, expires: number, signature: string): boolean {
  if (expires * 1000 < Date.now()) return false;
  const expected = Buffer.from(sign(secret, attachmentId, expires));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const ZParams = z.object({ channelId: z.uuid(), id: z.uuid() });
const ZQuery = z.object({ expires: z.coerce.number().int().positive(), signature: z.string().regex(/^[0-9a-f]{64}$/) });

/** `GET /api/v1/channels/:channelId/attachments/:id?expires=…&signature=…`: the file behind a delivery's link. */
export function registerAttachmentLinks(app: App, deps: AppDeps, kinds: Parameters<typeof webhookChannel>[2]): void {
  app.get(
    '/channels/:channelId/attachments/:id',
    {
      config: { auth: 'signed' },
      schema: {
        tags: ['channels'],
        summary: "Fetch a reply's file through the signed link in a delivery (no other credentials)",
        params: ZParams,
        querystring: ZQuery,
      },
    },
    async (req, reply) => {
      const channel = await webhookChannel(deps, req.params.channelId, kinds);
      // One answer for a bad, expired or foreign link: nothing tells a prober which part was wrong.
      if (!validSignature(channel.webhookSecret, req.params.id, req.query.expires, req.query.signature)) throw notFound('Attachment');
      const row = await withTenant(deps.database.db, channel.accountId, (tx) => readAttachment(tx, channel.accountId, req.params.id));
      // Only files sent on this channel's conversations' messages, never an unsent upload.
      if (!row.messageId) throw notFound('Attachment');
      return sendAttachment(reply, row, { download: true });
    },
  );
}
