import type { FastifyReply } from 'fastify';
import type { AttachmentMetaRow } from './store';

/** Raster images a browser may show inline; everything else downloads. SVG is not among them: it can run script. */
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** `attachment; filename="ascii"; filename*=UTF-8''…` (RFC 6266 / 8187), safe for any name a customer sends. */
export function contentDisposition(kind: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Sends a stored file so that opening it can never run code on our origin: a sandbox CSP, no sniffing, and
 * anything but a raster image as a download.
 */
export function sendAttachment(reply: FastifyReply, row: AttachmentMetaRow & { content: Buffer }, opts: { download?: boolean } = {}) {
  const inline = !opts.download && INLINE_TYPES.has(row.contentType);
  return reply
    .header('content-type', inline ? row.contentType : row.contentType.startsWith('text/') ? 'text/plain; charset=utf-8' : row.contentType)
    .header('content-length', row.content.length)
    .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', row.filename))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
    .header('cache-control', 'private, max-age=3600')
    .header('etag', `"${row.sha256}"`)
    .send(row.content);
}
