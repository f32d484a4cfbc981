import type { Customer, CustomerIdentity, IdentityKind } from '@touchpoint/shared';
import { getTableColumns } from 'drizzle-orm';
import { customerIdentities, customers } from '../../db/schema';

/** Every column but the generated search vector, which is for the index only. */
const { searchVector: _searchVector, ...customerColumnsWithoutSearch } = getTableColumns(customers);
export const customerColumns = customerColumnsWithoutSearch;

export type CustomerRow = Omit<typeof customers.$inferSelect, 'searchVector'>;
export type IdentityRow = typeof customerIdentities.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentIdentity(row: IdentityRow): CustomerIdentity {
  return {
    id: row.id,
    kind: row.kind as IdentityKind,
    value: row.value,
    channelId: row.channelId,
    verified: row.verified,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The customer as the API and event payloads show it; identities only where the caller loaded them. */
export function presentCustomer(row: CustomerRow, identities?: IdentityRow[]): Customer {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    externalId: row.externalId,
    avatarUrl: row.avatarUrl,
    segment: row.segment,
    vip: row.vip,
    language: row.language,
    timeZone: row.timeZone,
    attributes: row.attributes,
    mergedIntoId: row.mergedIntoId,
    mergedAt: iso(row.mergedAt),
    lastSeenAt: iso(row.lastSeenAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    ...(identities ? { identities: identities.map(presentIdentity) } : {}),
  };
}
