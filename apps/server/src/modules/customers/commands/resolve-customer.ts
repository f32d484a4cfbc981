import type { IdentityKind } from '@touchpoint/shared';
import type { Tx } from '../../../db/client';
import type { Ctx } from '../../../platform/context';
import { findIdentity, lockIdentities, normaliseIdentities, type IdentityInput, type RawIdentity } from '../identities';
import type { CustomerRow } from '../presenters';
import { getCustomerById } from '../queries';
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
 * `customer.created`). Runs inside the caller's transaction (creating a conversation with an inline customer,
 * inbound mail), so the caller has already authorised its own use case. Invalid values are 422 at
 * `customer.<field>`.
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
  for (const identity of ordered) {
    const owned = await findIdentity(tx, ctx.accountId, identity);
    if (owned) return { customer: await getCustomerById(tx, ctx.accountId, owned.customerId), created: false };
  }
  const name = input.name?.trim().slice(0, 200) || null;
  const { customer } = await insertCustomer(tx, ctx, { name }, wanted satisfies IdentityInput[]);
  return { customer, created: true };
}
