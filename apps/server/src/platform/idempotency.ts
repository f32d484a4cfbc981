import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { idempotencyKeys } from '../db/schema';
import { conflict, invalid } from './errors';

/** What a client may send as `Idempotency-Key`: 1–255 visible ASCII characters (a UUID is the usual choice). */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  if (!value || !/^[\x21-\x7e]{1,255}$/.test(value))
    throw invalid('headers.idempotency-key', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
  return value;
}

/** SHA-256 of the body with object keys sorted, so a retry that serialises keys in another order still matches. */
export function requestHash(body: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
              .filter(([, x]) => x !== undefined)
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
              .map(([k, x]) => [k, canonical(x)]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(body)))
    .digest('hex');
}

export interface IdempotentRequest {
  scope: string;
  key: string;
  hash: string;
}

/**
 * The resource a previous request with this key created, or null. The same key with a different body is a client
 * bug that would otherwise silently return the wrong resource: 409.
 */
export async function previousResult(tx: Tx, accountId: string, req: IdempotentRequest): Promise<string | null> {
  const [row] = await tx
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.accountId, accountId), eq(idempotencyKeys.scope, req.scope), eq(idempotencyKeys.key, req.key)));
  if (!row) return null;
  if (row.requestHash !== req.hash) throw conflict('This Idempotency-Key was already used for a different request', { key: req.key });
  return row.resourceId;
}

/** Stores the key with what it created; a concurrent request with the same key fails here on the primary key. */
export async function rememberResult(tx: Tx, accountId: string, req: IdempotentRequest, resourceId: string): Promise<void> {
  await tx.insert(idempotencyKeys).values({ accountId, scope: req.scope, key: req.key, requestHash: req.hash, resourceId });
}
