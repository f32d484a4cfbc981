import type { UpdateAccountBody } from '@touchpoint/shared';
import { eq, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { accounts } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { notFound } from '../../../platform/errors';
import { command } from '../../../platform/tx';
import { accountPolicy } from '../policy';
import { presentAccountDetails } from '../presenters';

/**
 * PATCH /account (admins): the account's name, time zone and settings. Settings are merged into `accounts.settings`
 * key by key in SQL (`||`), so keys this endpoint does not manage (`defaultCountry`) and other writers' keys stay.
 */
export async function updateAccount(ctx: Ctx, input: UpdateAccountBody) {
  return command(ctx, async (tx) => {
    const where = eq(accounts.id, ctx.accountId);
    const [current] = await tx.select().from(accounts).where(where).for('update');
    if (!current) throw notFound('Account');
    authorize(ctx.actor, accountPolicy, 'manage_account', { accountId: ctx.accountId });
    const settings = Object.fromEntries(Object.entries(input.settings ?? {}).filter(([, v]) => v !== undefined));
    const changes: PgUpdateSetSource<typeof accounts> = {};
    if (input.name !== undefined && input.name !== current.name) changes.name = input.name;
    if (input.timeZone !== undefined && input.timeZone !== current.timeZone) changes.timeZone = input.timeZone;
    if (Object.keys(settings).length > 0) changes.settings = sql`${accounts.settings} || ${JSON.stringify(settings)}::jsonb`;
    if (Object.keys(changes).length === 0) return presentAccountDetails(current);
    const [row] = await tx.update(accounts).set(changes).where(where).returning();
    return presentAccountDetails(row!);
  });
}
