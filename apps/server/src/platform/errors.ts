/**
 * Errors with a stable `code`, rendered as RFC 9457 problem+json by the HTTP layer.
 * Commands throw these; nothing else decides HTTP status codes.
 */
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'account_locked'
  | 'invalid_credentials'
  | 'channel_disabled'
  | 'signup_disabled'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 422,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  channel_disabled: 403,
  signup_disabled: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  account_locked: 423,
  rate_limited: 429,
  internal: 500,
};

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { errors?: FieldError[]; [k: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = STATUS[code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const forbidden = (message = 'You are not allowed to do this') => new AppError('forbidden', message);
export const conflict = (message: string, details?: Record<string, unknown>) => new AppError('conflict', message, details);
export const invalid = (path: string, message: string) => new AppError('validation_failed', message, { errors: [{ path, message }] });

/** PostgreSQL unique_violation, so commands can turn a lost race into a clear 409. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = (err as { cause?: unknown })?.cause ?? err;
  const pgErr = e as { code?: string; constraint?: string };
  return pgErr?.code === '23505' && (!constraint || pgErr.constraint === constraint);
}
