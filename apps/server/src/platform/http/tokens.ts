import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Session tokens and API key secrets are 256-bit random values, so a fast hash is enough to store them
 * (argon2 is for low-entropy passwords; here it would add ~25 ms to every API request for nothing).
 */
export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export const SESSION_COOKIE = 'tp_session';
