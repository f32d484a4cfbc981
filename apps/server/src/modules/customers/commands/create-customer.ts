import type { CreateCustomerBody } from '@touchpoint/shared';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { AppError } from '../../../platform/errors';
import { command } from '../../../platform/tx';
import { assertIdentitiesFree, lockIdentities, normaliseIdentities, type RawIdentity } from '../identities';
import { customerPolicy } from '../policy';
import { insertCustomer } from '../writes';

/** Creates a customer; its email, phone and external id become identities (409 with `details.customerId` if taken). */
export async function createCustomer(ctx: Ctx, body: CreateCustomerBody) {
  return command(ctx, async (tx) => {
    authorize(ctx.actor, customerPolicy, 'create', null);
    if (!body.name && !body.email && !body.phone && !body.externalId) {
      throw new AppError('validation_failed', 'Give at least a name, email, phone or external id', {
        errors: [{ path: 'body', message: 'Give at least a name, email, phone or external id' }],
      });
    }
    const raw: RawIdentity[] = [];
    if (body.email !== undefined) raw.push({ path: 'email', kind: 'email', value: body.email });
    if (body.phone !== undefined) raw.push({ path: 'phone', kind: 'phone', value: body.phone });
    if (body.externalId !== undefined) raw.push({ path: 'externalId', kind: 'external_id', value: body.externalId });
    const identities = await normaliseIdentities(tx, ctx.accountId, raw);
    await lockIdentities(tx, ctx.accountId, identities);
    await assertIdentitiesFree(tx, ctx.accountId, identities, null);
    const { email: _e, phone: _p, externalId: _x, ...profile } = body;
    return insertCustomer(tx, ctx, { ...profile, name: profile.name || null }, identities);
  });
}
