import type { IdentityKind } from '@touchpoint/shared';
import { and, asc, eq } from 'drizzle-orm';
import { customerIdentities } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { notFound } from '../../../platform/errors';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { primaryFieldOf } from '../identities';
import { assertNotMerged } from '../merged';
import { customerPolicy } from '../policy';
import { presentCustomer } from '../presenters';
import { getCustomerForUpdate, listIdentitiesOf } from '../queries';
import { setCustomerFields } from '../writes';

/**
 * Forgets one way to recognise the customer (removing the last one is allowed). If it was the primary
 * email/phone/external id, the oldest remaining identity of that kind takes its place.
 */
export async function removeIdentity(ctx: Ctx, customerId: string, identityId: string): Promise<void> {
  await command(ctx, async (tx) => {
    let customer = await getCustomerForUpdate(tx, ctx.accountId, customerId);
    authorize(ctx.actor, customerPolicy, 'manage_identities', customer);
    assertNotMerged(customer);
    const [removed] = await tx
      .delete(customerIdentities)
      .where(
        and(
          eq(customerIdentities.accountId, ctx.accountId),
          eq(customerIdentities.customerId, customer.id),
          eq(customerIdentities.id, identityId),
        ),
      )
      .returning();
    if (!removed) throw notFound('Identity');

    const field = primaryFieldOf(removed.kind as IdentityKind);
    if (field && customer[field] === removed.value) {
      const [next] = await tx
        .select({ value: customerIdentities.value })
        .from(customerIdentities)
        .where(
          and(
            eq(customerIdentities.accountId, ctx.accountId),
            eq(customerIdentities.customerId, customer.id),
            eq(customerIdentities.kind, removed.kind),
          ),
        )
        .orderBy(asc(customerIdentities.createdAt), asc(customerIdentities.id))
        .limit(1);
      customer = await setCustomerFields(tx, customer.id, { [field]: next?.value ?? null });
    }
    const identities = await listIdentitiesOf(tx, ctx.accountId, customer.id);
    await emit(tx, ctx, {
      type: 'customer.updated',
      customerId: customer.id,
      payload: { customer: presentCustomer(customer, identities), removedIdentityId: removed.id },
    });
  });
}
