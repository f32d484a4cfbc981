import type { WidgetIdentifyBody } from '@touchpoint/shared';
import { and, eq } from 'drizzle-orm';
import { webchatVisitors } from '../../../db/schema';
import type { Ctx } from '../../../platform/context';
import { command } from '../../../platform/tx';
import { resolveCustomer } from '../../customers';
import type { VisitorRow } from '../queries';
import { renameCustomer } from './rename-customer';

/**
 * Points a visitor (whose identity hash the caller has verified) at the customer owning the email/externalId,
 * creating that customer when nobody does. The anonymous profile and its conversations are left as they were:
 * re-pointing the visitor is reversible and cannot fold one real person into another (a shared computer where
 * the next user logs in), while a merge can; agents can still merge the two profiles from the inbox.
 * `ctx` is the channel's system actor: the site's backend vouched for the identity, this is channel intake.
 */
export async function identifyVisitor(ctx: Ctx, v: VisitorRow, input: Omit<WidgetIdentifyBody, 'hash'>): Promise<VisitorRow> {
  return command(ctx, async (tx) => {
    const { customer, created } = await resolveCustomer(tx, ctx, { email: input.email, externalId: input.externalId, name: input.name });
    const name = input.name?.trim().slice(0, 200);
    // The site knows its user's current name better than an old profile.
    if (!created && name && name !== customer.name) await renameCustomer(tx, ctx, customer, name);
    const [row] = await tx
      .update(webchatVisitors)
      .set({ customerId: customer.id })
      .where(and(eq(webchatVisitors.accountId, v.accountId), eq(webchatVisitors.id, v.id)))
      .returning();
    return row!;
  });
}
