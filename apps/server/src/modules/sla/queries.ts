import { and, asc, eq, gt } from 'drizzle-orm';
import { businessHoursCalendars, slaPolicies } from '../../db/schema';
import { abilitiesFor, authorize } from '../../platform/authz';
import type { Ctx } from '../../platform/context';
import { notFound } from '../../platform/errors';
import { read } from '../../platform/tx';
import { cursorId, toPage } from '../../platform/pagination';
import { slaSettingsPolicy } from './policy';
import { presentCalendar, presentSlaPolicy } from './presenters';

const policiesFor = (ctx: Ctx, ids: string[]) =>
  ids.map((id) => ({ id, abilities: abilitiesFor(ctx.actor, slaSettingsPolicy, { accountId: ctx.accountId }) }));

export async function listCalendars(ctx: Ctx, query: { limit: number; cursor?: string }) {
  authorize(ctx.actor, slaSettingsPolicy, 'read', { accountId: ctx.accountId });
  const after = cursorId(query.cursor);
  const rows = await read(ctx, (tx) =>
    tx
      .select()
      .from(businessHoursCalendars)
      .where(and(eq(businessHoursCalendars.accountId, ctx.accountId), after ? gt(businessHoursCalendars.id, after) : undefined))
      .orderBy(asc(businessHoursCalendars.id))
      .limit(query.limit + 1),
  );
  const page = toPage(rows.map(presentCalendar), query.limit, (c) => c.id);
  return {
    ...page,
    policies: policiesFor(
      ctx,
      page.data.map((c) => c.id),
    ),
  };
}

export async function getCalendar(ctx: Ctx, id: string) {
  authorize(ctx.actor, slaSettingsPolicy, 'read', { accountId: ctx.accountId });
  const [row] = await read(ctx, (tx) =>
    tx
      .select()
      .from(businessHoursCalendars)
      .where(and(eq(businessHoursCalendars.accountId, ctx.accountId), eq(businessHoursCalendars.id, id))),
  );
  if (!row) throw notFound('Calendar');
  return { data: presentCalendar(row), policies: policiesFor(ctx, [row.id]) };
}

/** All policies in matching order (an account has a handful, so no pagination). */
export async function listSlaPolicies(ctx: Ctx) {
  authorize(ctx.actor, slaSettingsPolicy, 'read', { accountId: ctx.accountId });
  const rows = await read(ctx, (tx) =>
    tx.select().from(slaPolicies).where(eq(slaPolicies.accountId, ctx.accountId)).orderBy(asc(slaPolicies.position), asc(slaPolicies.id)),
  );
  return { data: rows.map(presentSlaPolicy) };
}

export async function getSlaPolicy(ctx: Ctx, id: string) {
  authorize(ctx.actor, slaSettingsPolicy, 'read', { accountId: ctx.accountId });
  const [row] = await read(ctx, (tx) =>
    tx
      .select()
      .from(slaPolicies)
      .where(and(eq(slaPolicies.accountId, ctx.accountId), eq(slaPolicies.id, id))),
  );
  if (!row) throw notFound('SLA policy');
  return { data: presentSlaPolicy(row), policies: policiesFor(ctx, [row.id]) };
}
