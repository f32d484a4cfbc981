import { z } from 'zod';

/** Defaults of the server's ATTACHMENTS_* settings; the widget and the agent app read the effective ones from the API. */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;
/**
 * Types a customer or agent may upload unless ATTACHMENTS_ALLOWED_TYPES says otherwise. Deliberately no HTML,
 * SVG or scripts: those run code when opened from our origin. Downloads are sent as attachments with a sandbox
 * CSP anyway, as a second wall.
 */
export const DEFAULT_ATTACHMENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/zip',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'audio/mpeg',
  'audio/ogg',
  'video/mp4',
] as const;

const noNul = (s: string) => !s.includes('\u0000');

/** `?filename=` of an upload; the bytes are the request body and its Content-Type is the file's type. */
export const ZAttachmentUploadQuery = z.object({
  filename: z
    .string()
    .min(1, 'Pass the file name')
    .max(255)
    .refine(noNul, 'The file name must not contain NUL characters')
    .refine((s) => !/[/\\]/.test(s), 'The file name must not contain a path'),
});
export type AttachmentUploadQuery = z.infer<typeof ZAttachmentUploadQuery>;

/** A stored attachment as listed in a message's `attachments` (and answered by an upload). */
export const ZStoredAttachment = z.object({
  id: z.uuid(),
  name: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  inline: z.boolean(),
});
export type StoredAttachment = z.infer<typeof ZStoredAttachment>;

export const ZAttachmentEnvelope = z.object({ data: ZStoredAttachment });

export const ZAttachmentLimits = z.object({
  maxBytes: z.number().int(),
  maxPerMessage: z.number().int(),
  allowedTypes: z.array(z.string()),
});
export type AttachmentLimits = z.infer<typeof ZAttachmentLimits>;

export const ZAttachmentParams = z.object({ id: z.uuid() });

/** Up to MAX_ATTACHMENTS_PER_MESSAGE ids of uploads to send with a message, in order. */
export const ZAttachmentIds = z
  .array(z.uuid())
  .max(MAX_ATTACHMENTS_PER_MESSAGE, `At most ${MAX_ATTACHMENTS_PER_MESSAGE} attachments per message`)
  .refine((ids) => new Set(ids).size === ids.length, 'An attachment is listed twice');

export { attachmentTypeAllowed } from '../attachment-types';
