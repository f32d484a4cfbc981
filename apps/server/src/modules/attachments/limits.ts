import { attachmentTypeAllowed, MAX_ATTACHMENTS_PER_MESSAGE, type AttachmentLimits } from '@touchpoint/shared';
import type { Config } from '../../config';
import { AppError } from '../../platform/errors';

/** The effective limits, from ATTACHMENTS_MAX_BYTES and ATTACHMENTS_ALLOWED_TYPES. */
export function attachmentLimitsOf(config: Pick<Config, 'ATTACHMENTS_MAX_BYTES' | 'ATTACHMENTS_ALLOWED_TYPES'>): AttachmentLimits {
  return {
    maxBytes: config.ATTACHMENTS_MAX_BYTES,
    maxPerMessage: MAX_ATTACHMENTS_PER_MESSAGE,
    allowedTypes: config.ATTACHMENTS_ALLOWED_TYPES,
  };
}

export type RefusalReason = 'too_large' | 'type_not_allowed' | 'empty';

/** Why a file may not be stored, or null when it may. */
export function refusalOf(limits: AttachmentLimits, file: { contentType: string; size: number }): RefusalReason | null {
  if (file.size === 0) return 'empty';
  if (file.size > limits.maxBytes) return 'too_large';
  if (!attachmentTypeAllowed(limits.allowedTypes, file.contentType)) return 'type_not_allowed';
  return null;
}

const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

/** Throws the problem an uploader sees: 413 for size, 415 for type, 422 for an empty file. */
export function assertUploadAllowed(limits: AttachmentLimits, file: { contentType: string; size: number }): void {
  const reason = refusalOf(limits, file);
  if (reason === 'too_large') {
    throw new AppError('payload_too_large', `The file is larger than the limit of ${mib(limits.maxBytes)}`, {
      maxBytes: limits.maxBytes,
    });
  }
  if (reason === 'type_not_allowed') {
    throw new AppError('unsupported_media_type', `Files of type ${file.contentType.split(';')[0]} are not accepted`, {
      allowedTypes: limits.allowedTypes,
    });
  }
  if (reason === 'empty')
    throw new AppError('validation_failed', 'The file is empty', { errors: [{ path: 'body', message: 'The file is empty' }] });
}
