import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { customerIdentities, customers } from '../../../db/schema';
import type { Ctx } from '../../../platform/context';
import { emit } from '../../../platform/events';
import { presentCustomer, type CustomerRow } from '../../customers';

/** Sets a customer's name from the widget (identify, pre-chat, offline form); emitted like any profile change. */
export async function renameCustomer(tx: Tx, ctx: Ctx, customer: CustomerRow, name: string): Promise<void> {
  await tx
    .update(customers)
    .set({ name, updatedAt: new Date() })
    .where(and(eq(customers.accountId, ctx.accountId), eq(customers.id, customer.id)));
  const identities = await tx
    .select()
    .from(customerIdentities)
    .where(and(eq(customerIdentities.accountId, ctx.accountId), eq(customerIdentities.customerId, customer.id)))
    .orderBy(asc(customerIdentities.createdAt), asc(customerIdentities.id));
  await emit(tx, ctx, {
    type: 'customer.updated',
    customerId: customer.id,
    payload: { customer: presentCustomer({ ...customer, name }, identities), changes: ['name'] },
  });
}
