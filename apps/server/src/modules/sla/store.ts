import { alwaysOpen, type BusinessCalendar, type SlaConditions } from '@touchpoint/shared';
import { and, arrayContains, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { businessHoursCalendars, channels, conversations, conversationSlas, customers, slaPolicies } from '../../db/schema';
import type { MatchFacts, SlaState } from './clock';

export type SlaRow = typeof conversationSlas.$inferSelect;

/**
 * The calendar that times a conversation: its team's calendar, else its channel's, else 24/7 (UTC). When several
 * calendars name the same team or channel, the oldest wins.
 */
export async function calendarFor(
  tx: Tx,
  accountId: string,
  conv: { teamId: string | null; channelId: string },
): Promise<{ id: string | null; calendar: BusinessCalendar }> {
  const pick = async (cond: ReturnType<typeof arrayContains>) => {
    const [row] = await tx
      .select()
      .from(businessHoursCalendars)
      .where(and(eq(businessHoursCalendars.accountId, accountId), cond))
      .orderBy(asc(businessHoursCalendars.id))
      .limit(1);
    return row;
  };
  const row =
    (conv.teamId ? await pick(arrayContains(businessHoursCalendars.teamIds, [conv.teamId])) : undefined) ??
    (await pick(arrayContains(businessHoursCalendars.channelIds, [conv.channelId])));
  if (!row) return { id: null, calendar: alwaysOpen() };
  return { id: row.id, calendar: { timeZone: row.timeZone, weekly: row.weekly, holidays: row.holidays } };
}

export async function orderedPolicies(tx: Tx, accountId: string) {
  const rows = await tx
    .select()
    .from(slaPolicies)
    .where(eq(slaPolicies.accountId, accountId))
    .orderBy(asc(slaPolicies.position), asc(slaPolicies.id));
  return rows.map((r) => ({ ...r, conditions: r.conditions as SlaConditions }));
}

/** The conversation with what policy conditions look at (channel kind, customer segment and VIP flag). */
export async function loadConversationFacts(tx: Tx, accountId: string, conversationId: string) {
  const [row] = await tx
    .select({ conv: conversations, channelKind: channels.kind, segment: customers.segment, vip: customers.vip })
    .from(conversations)
    .leftJoin(channels, and(eq(channels.accountId, accountId), eq(channels.id, conversations.channelId)))
    .leftJoin(customers, and(eq(customers.accountId, accountId), eq(customers.id, conversations.customerId)))
    .where(and(eq(conversations.accountId, accountId), eq(conversations.id, conversationId)));
  if (!row) return null;
  const facts: MatchFacts = {
    priority: row.conv.priority,
    channelKind: row.channelKind,
    teamId: row.conv.teamId,
    customerSegment: row.segment,
    vip: row.vip ?? false,
  };
  return { conv: row.conv, facts };
}

/** Locks the conversation's SLA clock (also before its row exists, so two first events cannot both insert). */
export async function lockSla(tx: Tx, accountId: string, conversationId: string): Promise<SlaRow | undefined> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`sla:${conversationId}`}, 0))`);
  const [row] = await tx
    .select()
    .from(conversationSlas)
    .where(and(eq(conversationSlas.accountId, accountId), eq(conversationSlas.conversationId, conversationId)))
    .for('update');
  return row;
}

export async function saveSla(tx: Tx, accountId: string, conversationId: string, state: SlaState, existed: boolean) {
  if (existed) {
    await tx
      .update(conversationSlas)
      .set(state)
      .where(and(eq(conversationSlas.accountId, accountId), eq(conversationSlas.conversationId, conversationId)));
  } else {
    await tx
      .insert(conversationSlas)
      .values({ accountId, conversationId, ...state })
      .onConflictDoNothing();
  }
}

export function stateOf(row: SlaRow): SlaState {
  const { accountId: _a, conversationId: _c, createdAt: _cr, updatedAt: _u, ...rest } = row;
  return rest as SlaState;
}
