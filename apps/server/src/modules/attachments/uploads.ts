import type { AttachmentLimits } from '@touchpoint/shared';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors';
import type { App } from '../../platform/module';
import { assertUploadAllowed } from './limits';

/**
 * Registers upload routes in their own scope, where any Content-Type arrives as the raw bytes (the file's type
 * is the request's Content-Type, its name a `?filename=`): no multipart parsing, nothing buffered twice, and
 * Fastify refuses a body over the limit with 413 before it is read to the end. Other routes keep their parsers.
 */
export function withUploads(app: App, limits: AttachmentLimits, register: (scope: App) => void): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limits.maxBytes }, (_req, body, done) => done(null, body));
    register(scope);
  });
}

/** The uploaded file of a request in a withUploads scope, checked against the limits. */
export function uploadedFile(req: FastifyRequest, limits: AttachmentLimits): { contentType: string; content: Buffer } {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!contentType) throw new AppError('unsupported_media_type', "Send the file's type as the Content-Type header");
  const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  assertUploadAllowed(limits, { contentType, size: content.length });
  return { contentType, content };
}
