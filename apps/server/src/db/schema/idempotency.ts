import { pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { accountId, createdAt, tenantPolicy } from './columns';

/**
 * Idempotency keys of API writes (`Idempotency-Key` header): the first request with a key stores what it created,
 * in the same transaction; a retry with the same key and the same body gets that resource back instead of a
 * second one, and the same key with another body is refused. Written only inside the creating transaction, so a
 * rolled-back request leaves no key behind.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    accountId: accountId(),
    /** What the key was used for, e.g. `conversation.create`: one key may not stand for two kinds of request. */
    scope: text().notNull(),
    key: text().notNull(),
    /** SHA-256 of the canonical request body. */
    requestHash: text().notNull(),
    resourceId: uuid().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.scope, t.key] }), tenantPolicy()],
);
