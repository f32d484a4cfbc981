import type { CreateCalendarBody, UpdateCalendarBody } from '@touchpoint/shared';
import { and, eq } from 'drizzle-orm';
import { businessHoursCalendars } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { conflict, isUniqueViolation, notFound } from '../../../platform/errors';
import { command } from '../../../platform/tx';
import { slaSettingsPolicy } from '../policy';
import { presentCalendar } from '../presenters';
import { assertReferences } from '../references';

const nameTaken = () => conflict('A calendar with this name already exists', { field: 'name' });

async function mapNameConflict<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUniqueViolation(err, 'business_hours_calendars_account_name_key')) throw nameTaken();
    throw err;
  }
}

export function createCalendar(ctx: Ctx, input: CreateCalendarBody) {
  return mapNameConflict(() =>
    command(ctx, async (tx) => {
      authorize(ctx.actor, slaSettingsPolicy, 'manage', { accountId: ctx.accountId });
      await assertReferences(tx, ctx.accountId, input);
      const [row] = await tx
        .insert(businessHoursCalendars)
        .values({ accountId: ctx.accountId, ...input, teamIds: [...new Set(input.teamIds)], channelIds: [...new Set(input.channelIds)] })
        .returning();
      return presentCalendar(row!);
    }),
  );
}

export function updateCalendar(ctx: Ctx, id: string, input: UpdateCalendarBody) {
  return mapNameConflict(() =>
    command(ctx, async (tx) => {
      const [current] = await tx
        .select()
        .from(businessHoursCalendars)
        .where(and(eq(businessHoursCalendars.accountId, ctx.accountId), eq(businessHoursCalendars.id, id)))
        .for('update');
      if (!current) throw notFound('Calendar');
      authorize(ctx.actor, slaSettingsPolicy, 'manage', { accountId: ctx.accountId });
      await assertReferences(tx, ctx.accountId, input);
      const patch = {
        ...input,
        ...(input.teamIds ? { teamIds: [...new Set(input.teamIds)] } : {}),
        ...(input.channelIds ? { channelIds: [...new Set(input.channelIds)] } : {}),
      };
      const [row] = await tx
        .update(businessHoursCalendars)
        .set(patch)
        .where(and(eq(businessHoursCalendars.accountId, ctx.accountId), eq(businessHoursCalendars.id, id)))
        .returning();
      return presentCalendar(row!);
    }),
  );
}

export function deleteCalendar(ctx: Ctx, id: string) {
  return command(ctx, async (tx) => {
    const where = and(eq(businessHoursCalendars.accountId, ctx.accountId), eq(businessHoursCalendars.id, id));
    const [current] = await tx.select({ id: businessHoursCalendars.id }).from(businessHoursCalendars).where(where);
    if (!current) throw notFound('Calendar');
    authorize(ctx.actor, slaSettingsPolicy, 'manage', { accountId: ctx.accountId });
    await tx.delete(businessHoursCalendars).where(where);
  });
}
