import type { IdentityKind } from '@touchpoint/shared';
import type { Tx } from '../../../db/client';
import type { Ctx } from '../../../platform/context';
import { findIdentity, lockIdentities, normaliseIdentities, type IdentityInput, type RawIdentity } from '../identities';
import type { CustomerRow } from '../presenters';
import { getCustomerById } from '../queries';
import { suggestMerge } from '../suggestions';
import { insertCustomer } from '../writes';

export interface ResolveCustomerInput {
  name?: string;
  email?: string;
  phone?: string;
  externalId?: string;
  channelHandle?: { channelId: string; value: string };
}

/** Which identity decides when the given ones belong to different customers: the most specific first. */
const PRECEDENCE: IdentityKind[] = ['external_id', 'channel_handle', 'email', 'phone'];

/**
 * Finds the customer who owns any of the given identities, or creates one with all of them (emitting
 * `customer.created`). When the identities belong to different customers, the most specific one decides and
 * each other owner gets a merge suggestion with it. Runs inside the caller's transaction (creating a
 * conversation with an inline customer, inbound mail), so the caller has already authorised its own use case.
 * Invalid values are 422 at `customer.<field>`.
 */
export async function resolveCustomer(tx: Tx, ctx: Ctx, input: ResolveCustomerInput): Promise<{ customer: CustomerRow; created: boolean }> {
  const raw: RawIdentity[] = [];
  if (input.externalId !== undefined) raw.push({ path: 'customer.externalId', kind: 'external_id', value: input.externalId });
  if (input.email !== undefined) raw.push({ path: 'customer.email', kind: 'email', value: input.email });
  if (input.phone !== undefined) raw.push({ path: 'customer.phone', kind: 'phone', value: input.phone });
  if (input.channelHandle) {
    raw.push({
      path: 'customer.channelHandle.value',
      kind: 'channel_handle',
      value: input.channelHandle.value,
      channelId: input.channelHandle.channelId,
    });
  }
  const wanted = await normaliseIdentities(tx, ctx.accountId, raw);
  await lockIdentities(tx, ctx.accountId, wanted);

  const ordered = [...wanted].sort((a, b) => PRECEDENCE.indexOf(a.kind) - PRECEDENCE.indexOf(b.kind));
  const owners: { identity: IdentityInput; customerId: string }[] = [];
  for (const identity of ordered) {
    const owned = await findIdentity(tx, ctx.accountId, identity);
    if (owned) owners.push({ identity, customerId: owned.customerId });
  }
  const [decides, ...others] = owners;
  if (decides) {
    // One message naming identities of two profiles is evidence they are one person: suggested, never merged here.
    const source = `resolve:${ctx.actor.kind === 'system' ? ctx.actor.reason : ctx.actor.kind}`;
    for (const o of others) {
      if (o.customerId === decides.customerId) continue;
      await suggestMerge(tx, ctx, decides.customerId, o.customerId, { kind: o.identity.kind, value: o.identity.value, source });
    }
    return { customer: await getCustomerById(tx, ctx.accountId, decides.customerId), created: false };
  }
  const name = input.name?.trim().slice(0, 200) || null;
  const { customer } = await insertCustomer(tx, ctx, { name }, wanted satisfies IdentityInput[]);
  return { customer, created: true };
}
