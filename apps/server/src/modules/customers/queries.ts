import { and, asc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { decodeCursor, encodeCursor } from '@touchpoint/shared';
import type { Tx } from '../../db/client';
import { accounts, customerIdentities, customers } from '../../db/schema';
import { notFound } from '../../platform/errors';
import { DEFAULT_PHONE_COUNTRY } from './normalise';
import { customerColumns, type CustomerRow, type IdentityRow } from './presenters';

/** The customer (merged ones too: they answer with `mergedIntoId`), or 404 also for another tenant's id. */
export async function getCustomerById(tx: Tx, accountId: string, id: string): Promise<CustomerRow> {
  const row = await findCustomerById(tx, accountId, id);
  if (!row) throw notFound('Customer');
  return row;
}

export async function findCustomerById(tx: Tx, accountId: string, id: string): Promise<CustomerRow | null> {
  const [row] = await tx
    .select(customerColumns)
    .from(customers)
    .where(and(eq(customers.accountId, accountId), eq(customers.id, id)));
  return row ?? null;
}

/** Locks the customer row for the rest of the transaction, so concurrent merges and edits serialise. */
export async function getCustomerForUpdate(tx: Tx, accountId: string, id: string): Promise<CustomerRow> {
  const [row] = await tx
    .select(customerColumns)
    .from(customers)
    .where(and(eq(customers.accountId, accountId), eq(customers.id, id)))
    .for('update');
  if (!row) throw notFound('Customer');
  return row;
}

export async function listIdentitiesOf(tx: Tx, accountId: string, customerId: string): Promise<IdentityRow[]> {
  return tx
    .select()
    .from(customerIdentities)
    .where(and(eq(customerIdentities.accountId, accountId), eq(customerIdentities.customerId, customerId)))
    .orderBy(asc(customerIdentities.createdAt), asc(customerIdentities.id));
}

/** Identities of one customer, oldest first, keyset paginated on (createdAt, id). */
export async function listIdentitiesPage(tx: Tx, accountId: string, customerId: string, page: { limit: number; cursor?: string }) {
  const after = page.cursor ? decodeCursor(page.cursor) : null;
  const keyset =
    after && typeof after[0] === 'string' && typeof after[1] === 'string'
      ? or(
          gt(customerIdentities.createdAt, sql`${after[0]}::timestamptz`),
          and(eq(customerIdentities.createdAt, sql`${after[0]}::timestamptz`), gt(customerIdentities.id, after[1])),
        )
      : undefined;
  const rows = await tx
    .select({ row: customerIdentities, at: preciseIso(customerIdentities.createdAt) })
    .from(customerIdentities)
    .where(and(eq(customerIdentities.accountId, accountId), eq(customerIdentities.customerId, customerId), keyset))
    .orderBy(asc(customerIdentities.createdAt), asc(customerIdentities.id))
    .limit(page.limit + 1);
  const more = rows.length > page.limit;
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return { items: items.map((r) => r.row), nextCursor: more && last ? encodeCursor([last.at, last.row.id]) : null };
}

/**
 * A timestamp with its microseconds, for cursors: JavaScript dates stop at milliseconds, and a cursor that
 * rounds would skip or repeat rows created within the same millisecond.
 */
export function preciseIso(column: unknown) {
  return sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** The country of phone numbers written without `+`: account setting `defaultCountry`, else US. */
export async function phoneCountryOf(tx: Tx, accountId: string): Promise<string> {
  const [row] = await tx
    .select({ country: sql<string | null>`${accounts.settings}->>'defaultCountry'` })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  return row?.country?.toUpperCase() || DEFAULT_PHONE_COUNTRY;
}

export const notMerged = isNull(customers.mergedIntoId);
