import { decodeCursor, encodeCursor } from '@touchpoint/shared';
import { and, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { customerIdentities, customers } from '../../db/schema';
import { invalid } from '../../platform/errors';
import { inRankedOrder, withRowSecurityLifted } from '../../platform/tx';
import { customerColumns, type CustomerRow } from './presenters';
import { notMerged, phoneCountryOf, preciseIso } from './queries';
import { searchTermsOf, type SearchTerms } from './search-terms';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** Cursor of this list: [rank, createdAt with microseconds, id]; anything else is a 422, never a SQL error. */
function parseCursor(cursor: string | undefined): { rank: number; at: string; id: string } | null {
  if (!cursor) return null;
  const v = decodeCursor(cursor);
  if (
    !v ||
    v.length !== 3 ||
    typeof v[0] !== 'number' ||
    !Number.isInteger(v[0]) ||
    typeof v[1] !== 'string' ||
    !ISO.test(v[1]) ||
    typeof v[2] !== 'string' ||
    !UUID.test(v[2])
  ) {
    throw invalid('querystring.cursor', 'The cursor is not valid for this list; start again without it');
  }
  return { rank: v[0], at: v[1], id: v[2] };
}

/** The domain part of the primary email, as the index customers_account_email_domain_idx has it. */
const emailDomain = sql`split_part(lower(${customers.email}), '@', 2)`;

/**
 * 0: an identity matches exactly; 1: name, email, phone or email domain starts with the text; 2: words match
 * (full text) or the digits appear anywhere in the phone number.
 */
function rankAndFilter(accountId: string, t: SearchTerms): { rank: SQL<number>; filter: SQL } {
  const exactIdentities = [
    t.exactEmail ? and(eq(customerIdentities.kind, 'email'), eq(customerIdentities.value, t.exactEmail)) : undefined,
    t.exactPhone ? and(eq(customerIdentities.kind, 'phone'), eq(customerIdentities.value, t.exactPhone)) : undefined,
    and(eq(customerIdentities.kind, 'external_id'), eq(customerIdentities.value, t.exactExternalId)),
  ];
  const exact = inArray(
    customers.id,
    sql`(select ${customerIdentities.customerId} from ${customerIdentities} where ${and(eq(customerIdentities.accountId, accountId), or(...exactIdentities))})`,
  );
  const prefix = or(
    sql`lower(${customers.name}) like ${t.textPrefix}`,
    sql`lower(${customers.email}) like ${t.textPrefix}`,
    ...t.phonePrefixes.map((p) => sql`${customers.phone} like ${p}`),
    // The domain of the primary email (customers_account_email_domain_idx): `acme.com` finds everyone at acme.com.
    t.emailDomainPrefix ? sql`${emailDomain} like ${t.emailDomainPrefix}` : undefined,
  )!;
  const anywhere = or(
    t.tsQuery ? sql`${customers.searchVector} @@ to_tsquery('simple', ${t.tsQuery})` : undefined,
    // Digits anywhere in the E.164 number (customers_phone_trgm_idx): `5550123` finds +1 (555) 012-3456.
    ...t.phoneDigits.map((p) => sql`${customers.phone} like ${p}`),
  );
  return {
    rank: sql<number>`(case when ${exact} then 0 when ${prefix} then 1 else 2 end)::int`,
    filter: or(exact, prefix, anywhere)!,
  };
}

/**
 * Customers of the account (merged-away profiles excluded), newest first; with `q`, best matches first and
 * newest within each rank. Keyset paginated on (rank, createdAt, id).
 */
export async function listCustomers(tx: Tx, accountId: string, query: { q?: string; limit: number; cursor?: string }) {
  const after = parseCursor(query.cursor);
  // Control characters (NUL above all, which PostgreSQL text cannot hold) only separate words in a search.
  // eslint-disable-next-line no-control-regex
  const q = query.q?.replace(/[\u0000-\u001f\u007f]/g, ' ').trim() ?? '';
  const { rank, filter } = q
    ? rankAndFilter(accountId, searchTermsOf(q, await phoneCountryOf(tx, accountId)))
    : { rank: sql<number>`0::int`, filter: undefined };
  const keyset = after
    ? sql`(${rank} > ${after.rank} or (${rank} = ${after.rank} and (${customers.createdAt}, ${customers.id}) < (${after.at}::timestamptz, ${after.id}::uuid)))`
    : undefined;
  const where = and(eq(customers.accountId, accountId), notMerged, filter, keyset);
  let rows: { rank: number; at: string; row: CustomerRow }[];
  if (!q) {
    rows = await tx
      .select({ row: customerColumns, rank, at: preciseIso(customers.createdAt) })
      .from(customers)
      .where(where)
      .orderBy(desc(customers.createdAt), desc(customers.id)) // every rank is 0: no sort beyond the created_at index
      .limit(query.limit + 1);
  } else {
    // The prefix and full-text conditions need their indexes, which row-level security forbids: find the ranked
    // ids with it lifted (explicit tenant filter above), then read the rows back under it.
    const keys = await withRowSecurityLifted(tx, () =>
      tx
        .select({ id: customers.id, rank, at: preciseIso(customers.createdAt) })
        .from(customers)
        .where(where)
        .orderBy(rank, desc(customers.createdAt), desc(customers.id))
        .limit(query.limit + 1),
    );
    const found = keys.length
      ? await tx
          .select(customerColumns)
          .from(customers)
          .where(
            and(
              eq(customers.accountId, accountId),
              inArray(
                customers.id,
                keys.map((k) => k.id),
              ),
            ),
          )
      : [];
    rows = inRankedOrder(
      keys,
      found as CustomerRow[],
      (k) => k.id,
      (c) => c.id,
    ).map(([k, row]) => ({ rank: k.rank, at: k.at, row }));
  }
  const more = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => r.row as CustomerRow),
    nextCursor: more && last ? encodeCursor([last.rank, last.at, last.row.id]) : null,
  };
}
