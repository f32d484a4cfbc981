import type { AddIdentityBody } from '@touchpoint/shared';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { attachIdentity, lockIdentities, normaliseIdentities, primaryFieldOf, type IdentityInput } from '../identities';
import { assertNotMerged } from '../merged';
import { customerPolicy } from '../policy';
import { presentCustomer, presentIdentity } from '../presenters';
import { getCustomerForUpdate, listIdentitiesOf } from '../queries';
import { setCustomerFields } from '../writes';

/**
 * Adds a way to recognise the customer. 409 `conflict` with `details.customerId` when another customer owns it
 * (the start of a merge suggestion); adding one the customer already has changes nothing (`added: false`).
 */
export async function addIdentity(ctx: Ctx, customerId: string, body: AddIdentityBody) {
  return command(ctx, async (tx) => {
    let customer = await getCustomerForUpdate(tx, ctx.accountId, customerId);
    authorize(ctx.actor, customerPolicy, 'manage_identities', customer);
    assertNotMerged(customer);
    const [identity] = (await normaliseIdentities(tx, ctx.accountId, [
      { path: 'value', kind: body.kind, value: body.value, channelId: body.channelId },
    ])) as [IdentityInput];
    await lockIdentities(tx, ctx.accountId, [identity]);
    const { row, added } = await attachIdentity(tx, ctx.accountId, customer.id, identity);
    if (!added) return { identity: row, added };
    const field = primaryFieldOf(identity.kind);
    if (field && customer[field] === null) {
      customer = await setCustomerFields(tx, customer.id, { [field]: row.value });
    }
    const identities = await listIdentitiesOf(tx, ctx.accountId, customer.id);
    await emit(tx, ctx, {
      type: 'customer.identity_added',
      customerId: customer.id,
      payload: { customer: presentCustomer(customer, identities), identity: presentIdentity(row) },
    });
    return { identity: row, added };
  });
}
