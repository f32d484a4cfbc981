import { createHmac, timingSafeEqual } from 'node:crypto';
import { invalid } from '../../platform/errors';

/**
 * The identity hash of `Touchpoint.identify()`: hex HMAC-SHA256 of `externalId ?? email`, keyed with the web
 * channel's `webhookSecret`. The external id wins when both are given because it is the site's stable key for the
 * user (an email can change hands); the site's backend computes the same value (docs/channels.md#web-chat).
 */
export function identityHash(secret: string, identity: { email?: string; externalId?: string }): string {
  return createHmac('sha256', secret)
    .update(identity.externalId ?? identity.email ?? '')
    .digest('hex');
}

/** 422 at `hash` unless it matches, compared in constant time so response timing leaks nothing of the right one. */
export function verifyIdentityHash(secret: string, identity: { email?: string; externalId?: string; hash: string }): void {
  const expected = Buffer.from(identityHash(secret, identity), 'hex');
  const given = Buffer.from(identity.hash, 'hex');
  // The contract already demands 64 hex characters; the length check keeps timingSafeEqual from throwing anyway.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw invalid('hash', 'The identity hash does not match: compute it on your server with the channel secret');
  }
}
