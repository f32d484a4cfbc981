import { sql, type SQL } from 'drizzle-orm';
import { customType, pgPolicy, timestamp, uuid } from 'drizzle-orm/pg-core';
import { uuidv7 } from 'uuidv7';

/** UUIDv7 primary key: time-ordered, so inserts stay at the right edge of the index. */
export const id = () =>
  uuid()
    .primaryKey()
    .$defaultFn(() => uuidv7())
    .default(sql`gen_random_uuid()`);

export const accountId = () => uuid().notNull();

export const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();
export const updatedAt = () =>
  timestamp({ withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());
export const ts = () => timestamp({ withTimezone: true });

export const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** The tenant id of the current transaction, set by `withTenant` (db/tenant.ts). */
export const CURRENT_TENANT = sql`nullif(current_setting('app.account_id', true), '')::uuid`;

/**
 * Row-level security as a second wall behind the account filter every query already carries: the
 * application role (`touchpoint_app`) only ever sees rows of the tenant its transaction is bound to.
 */
export const tenantPolicy = (column: SQL = sql`account_id`) =>
  pgPolicy('tenant_isolation', {
    as: 'permissive',
    for: 'all',
    to: 'public',
    using: sql`${column} = ${CURRENT_TENANT}`,
    withCheck: sql`${column} = ${CURRENT_TENANT}`,
  });
