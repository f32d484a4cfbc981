import type { PrechatFieldMode, WidgetPrechatBody } from '@touchpoint/shared';
import type { Tx } from '../../../db/client';
import type { Ctx } from '../../../platform/context';
import { invalid } from '../../../platform/errors';
import { command } from '../../../platform/tx';
import { getCustomerById, recordClaimedIdentity } from '../../customers';
import type { VisitorRow } from '../queries';
import { renameCustomer } from './rename-customer';

/** 422 for a field the channel requires and the visitor left out; a field the channel does not ask for is dropped. */
export function checkPrechat(fields: { name: PrechatFieldMode; email: PrechatFieldMode }, body: WidgetPrechatBody): WidgetPrechatBody {
  for (const f of ['name', 'email'] as const) if (fields[f] === 'required' && !body[f]) throw invalid(f, `Enter your ${f}`);
  return { name: fields.name === 'off' ? undefined : body.name, email: fields.email === 'off' ? undefined : body.email };
}

/**
 * What a visitor says about themself (pre-chat and offline forms): the name goes on their profile, the email becomes
 * a CLAIMED identity through the customers module, which never attaches an email another profile owns (it raises a
 * merge suggestion instead), so typing someone's email opens nothing of theirs. `ctx`: the channel's system actor.
 */
export async function recordVisitorDetails(
  tx: Tx,
  ctx: Ctx,
  v: VisitorRow,
  details: WidgetPrechatBody,
  source: 'webchat.prechat' | 'webchat.offline',
): Promise<void> {
  if (details.name) {
    const customer = await getCustomerById(tx, v.accountId, v.customerId);
    if (customer.name !== details.name) await renameCustomer(tx, ctx, customer, details.name);
  }
  if (details.email) await recordClaimedIdentity(tx, ctx, v.customerId, { kind: 'email', value: details.email, source });
}

export function submitPrechat(ctx: Ctx, v: VisitorRow, details: WidgetPrechatBody): Promise<void> {
  return command(ctx, (tx) => recordVisitorDetails(tx, ctx, v, details, 'webchat.prechat'));
}
