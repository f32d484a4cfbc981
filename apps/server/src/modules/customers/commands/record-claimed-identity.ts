import type { Tx } from '../../../db/client';
import type { Ctx } from '../../../platform/context';
import { emit } from '../../../platform/events';
import { attachIdentity, findIdentity, lockIdentities, primaryFieldOf, type IdentityInput } from '../identities';
import { normaliseIdentity } from '../normalise';
import { presentCustomer, presentIdentity } from '../presenters';
import { getCustomerForUpdate, listIdentitiesOf, phoneCountryOf } from '../queries';
import { suggestMerge } from '../suggestions';
import { setCustomerFields } from '../writes';

export interface IdentityClaim {
  kind: 'email' | 'phone' | 'external_id';
  value: string;
  /** What the claim came from, kept as the suggestion's evidence: `webchat.prechat`, `webchat.offline_form`, ... */
  source: string;
}

export type ClaimOutcome = { outcome: 'attached' | 'already_own' | 'suggested' | 'invalid'; suggestionId?: string };

const CLAIM_KINDS: readonly string[] = ['email', 'phone', 'external_id'];

/**
 * An identity a person typed without proof (the web chat pre-chat form's email, a phone number in a message).
 * Nobody has it: it becomes an UNVERIFIED identity of the customer (and their primary email/phone/external id if
 * they had none). The customer has it: nothing changes. Another profile has it: it is never attached (typing a
 * known customer's address must not make you them); an open merge suggestion between the two profiles records
 * the claim instead, for an agent to decide. An invalid value is reported, not thrown, so the caller's own
 * write goes on. Runs in the caller's transaction, with the caller's context (its actor goes on the events).
 */
export async function recordClaimedIdentity(tx: Tx, ctx: Ctx, customerId: string, claim: IdentityClaim): Promise<ClaimOutcome> {
  if (!CLAIM_KINDS.includes(claim.kind) || typeof claim.value !== 'string') return { outcome: 'invalid' };
  const country = claim.kind === 'phone' ? await phoneCountryOf(tx, ctx.accountId) : undefined;
  const normalised = normaliseIdentity(claim.kind, claim.value, country);
  if (!normalised.ok) return { outcome: 'invalid' };
  const source = (claim.source ?? '').trim().slice(0, 100) || 'unknown';

  let customer = await getCustomerForUpdate(tx, ctx.accountId, customerId);
  // A claim arriving on a profile that was merged away belongs to its survivor.
  for (let hops = 0; customer.mergedIntoId && hops < 5; hops++)
    customer = await getCustomerForUpdate(tx, ctx.accountId, customer.mergedIntoId);

  const identity: IdentityInput = { kind: claim.kind, value: normalised.value, channelId: null };
  await lockIdentities(tx, ctx.accountId, [identity]);
  const owner = await findIdentity(tx, ctx.accountId, identity);
  if (owner?.customerId === customer.id) return { outcome: 'already_own' };
  if (owner) {
    const s = await suggestMerge(tx, ctx, customer.id, owner.customerId, { kind: claim.kind, value: normalised.value, source });
    return s ? { outcome: 'suggested', suggestionId: s.id } : { outcome: 'already_own' };
  }

  const { row } = await attachIdentity(tx, ctx.accountId, customer.id, identity);
  const field = primaryFieldOf(identity.kind);
  if (field && customer[field] === null) customer = await setCustomerFields(tx, customer.id, { [field]: row.value });
  const identities = await listIdentitiesOf(tx, ctx.accountId, customer.id);
  await emit(tx, ctx, {
    type: 'customer.identity_added',
    customerId: customer.id,
    payload: { customer: presentCustomer(customer, identities), identity: presentIdentity(row), source },
  });
  return { outcome: 'attached' };
}
