import type { UpdateCustomerBody } from '@touchpoint/shared';
import { customers } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { attachIdentity, lockIdentities, normaliseIdentities, PRIMARY_FIELD, type PrimaryField } from '../identities';
import { assertNotMerged } from '../merged';
import { customerPolicy } from '../policy';
import { presentCustomer, presentIdentity } from '../presenters';
import { getCustomerForUpdate, listIdentitiesOf } from '../queries';
import { setCustomerFields } from '../writes';

const PROFILE_FIELDS = ['name', 'avatarUrl', 'segment', 'vip', 'language', 'timeZone'] as const;
const KIND_OF: Record<PrimaryField, keyof typeof PRIMARY_FIELD> = { email: 'email', phone: 'phone', externalId: 'external_id' };

/** JSON merge patch (RFC 7396, one level): null removes a key, anything else replaces it. */
export function mergeAttributes(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

/**
 * Partial update. A new email/phone/external id becomes primary and an identity of the customer (409 when it
 * belongs to someone else); the previous one stays an identity, so mail from the old address still finds them.
 */
export async function updateCustomer(ctx: Ctx, customerId: string, body: UpdateCustomerBody) {
  return command(ctx, async (tx) => {
    const current = await getCustomerForUpdate(tx, ctx.accountId, customerId);
    authorize(ctx.actor, customerPolicy, 'update', current);
    assertNotMerged(current);

    const patch: Partial<typeof customers.$inferInsert> = {};
    for (const f of PROFILE_FIELDS) if (body[f] !== undefined) Object.assign(patch, { [f]: body[f] === '' ? null : body[f] });
    if (body.attributes) patch.attributes = mergeAttributes(current.attributes, body.attributes);

    const primaries = (Object.keys(KIND_OF) as PrimaryField[]).filter((f) => body[f] !== undefined);
    for (const f of primaries) if (body[f] === null) patch[f] = null;
    const raw = primaries.filter((f) => body[f] !== null).map((f) => ({ path: f, kind: KIND_OF[f], value: body[f]! }));
    const identities = await normaliseIdentities(tx, ctx.accountId, raw);
    await lockIdentities(tx, ctx.accountId, identities);
    const added = [];
    for (const i of identities) {
      const { row, added: isNew } = await attachIdentity(tx, ctx.accountId, current.id, i);
      patch[PRIMARY_FIELD[i.kind as keyof typeof PRIMARY_FIELD]] = i.value;
      if (isNew) added.push(row);
    }

    const changed = Object.keys(patch).filter(
      (k) => JSON.stringify(patch[k as keyof typeof patch]) !== JSON.stringify(current[k as keyof typeof current]),
    );
    if (changed.length === 0) return { customer: current, identities: await listIdentitiesOf(tx, ctx.accountId, current.id), changed };

    const customer = await setCustomerFields(tx, current.id, patch);
    const all = await listIdentitiesOf(tx, ctx.accountId, current.id);
    const presented = presentCustomer(customer, all);
    for (const row of added) {
      await emit(tx, ctx, {
        type: 'customer.identity_added',
        customerId: current.id,
        payload: { customer: presented, identity: presentIdentity(row) },
      });
    }
    await emit(tx, ctx, { type: 'customer.updated', customerId: current.id, payload: { customer: presented, changes: changed } });
    return { customer: customer, identities: all, changed };
  });
}
