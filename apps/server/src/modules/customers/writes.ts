import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { customers } from '../../db/schema';
import type { Ctx } from '../../platform/context';
import { emit } from '../../platform/events';
import { attachIdentity, primaryFieldOf, type IdentityInput } from './identities';
import { customerColumns, presentCustomer, type CustomerRow, type IdentityRow } from './presenters';

export type CustomerProfile = Partial<
  Pick<typeof customers.$inferInsert, 'name' | 'avatarUrl' | 'segment' | 'vip' | 'language' | 'timeZone' | 'attributes'>
>;

/**
 * Inserts a customer with its identities (locked and checked free by the caller) and emits
 * `customer.created`. The first identity of each kind becomes the primary email/phone/external id.
 */
export async function insertCustomer(
  tx: Tx,
  ctx: Ctx,
  profile: CustomerProfile,
  identities: IdentityInput[],
): Promise<{ customer: CustomerRow; identities: IdentityRow[] }> {
  const primaries: Partial<Record<'email' | 'phone' | 'externalId', string>> = {};
  for (const i of identities) {
    const field = primaryFieldOf(i.kind);
    if (field && !primaries[field]) primaries[field] = i.value;
  }
  const [customer] = await tx
    .insert(customers)
    .values({ ...profile, ...primaries, accountId: ctx.accountId })
    .returning(customerColumns);
  const rows: IdentityRow[] = [];
  for (const i of identities) rows.push((await attachIdentity(tx, ctx.accountId, customer!.id, i)).row);
  await emit(tx, ctx, { type: 'customer.created', customerId: customer!.id, payload: { customer: presentCustomer(customer!, rows) } });
  return { customer: customer!, identities: rows };
}

/** Updates one customer row and returns it (without the search vector). */
export async function setCustomerFields(tx: Tx, id: string, set: Partial<typeof customers.$inferInsert>): Promise<CustomerRow> {
  const [row] = await tx
    .update(customers)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(customers.id, id))
    .returning(customerColumns);
  if (!row) throw new Error(`Customer ${id} vanished inside its own transaction`);
  return row;
}
