import type { CallEventBody, CallEventType } from '@touchpoint/shared';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { accounts, callEvents, calls, memberships, users } from '../../db/schema';
import type { StoredCallEvent } from './project-call';
import type { CallRow } from './presenters';

/** Loads and row-locks a call: every event of one call is applied in turn, whatever order they race in. */
export async function lockCall(tx: Tx, accountId: string, where: { id: string } | { channelId: string; providerCallId: string }) {
  const match =
    'id' in where ? eq(calls.id, where.id) : and(eq(calls.channelId, where.channelId), eq(calls.providerCallId, where.providerCallId));
  const [row] = await tx
    .select()
    .from(calls)
    .where(and(eq(calls.accountId, accountId), match))
    .for('update');
  return row ?? null;
}

/** Every event of a call in arrival order (ids are UUIDv7); the projection sorts them by provider time. */
export async function callHistory(tx: Tx, accountId: string, callId: string): Promise<StoredCallEvent[]> {
  const rows = await tx
    .select({ type: callEvents.type, occurredAt: callEvents.occurredAt, payload: callEvents.payload })
    .from(callEvents)
    .where(and(eq(callEvents.accountId, accountId), eq(callEvents.callId, callId)))
    .orderBy(asc(callEvents.id));
  return rows.map((r) => ({ type: r.type as CallEventType, occurredAt: r.occurredAt, payload: r.payload as CallEventBody }));
}

/** Active members of the account by (lower-cased) email: how a provider's agent becomes one of our users. */
export async function memberIdsByEmail(tx: Tx, accountId: string, emails: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(emails.map((e) => e.toLowerCase()))];
  if (wanted.length === 0) return new Map();
  const rows = await tx
    .select({ id: users.id, email: sql<string>`lower(${users.email})` })
    .from(users)
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.accountId, accountId), eq(memberships.active, true)))
    .where(inArray(sql`lower(${users.email})`, wanted));
  return new Map(rows.map((r) => [r.email, r.id]));
}

/** The account's country for national phone numbers (the same setting customers use). */
export async function accountPhoneCountry(tx: Tx, accountId: string): Promise<string | undefined> {
  const [row] = await tx
    .select({ country: sql<string | null>`${accounts.settings}->>'defaultCountry'` })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  return row?.country?.toUpperCase() || undefined;
}

export async function listCallsOfConversation(tx: Tx, accountId: string, conversationId: string): Promise<CallRow[]> {
  return tx
    .select()
    .from(calls)
    .where(and(eq(calls.accountId, accountId), eq(calls.conversationId, conversationId)))
    .orderBy(asc(calls.startedAt), asc(calls.id))
    .limit(500);
}
