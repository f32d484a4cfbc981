import type { IdentityKind } from '@touchpoint/shared';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { channels, customerIdentities } from '../../db/schema';
import { conflict, invalid, isUniqueViolation } from '../../platform/errors';
import { normaliseIdentity } from './normalise';
import type { IdentityRow } from './presenters';
import { phoneCountryOf } from './queries';

export interface IdentityInput {
  kind: IdentityKind;
  value: string;
  channelId: string | null;
}

export interface RawIdentity {
  /** Where the value came from in the request, for the 422 (`email`, `customer.phone`, `value`). */
  path: string;
  kind: IdentityKind;
  value: string;
  channelId?: string | null;
}

/** The customer column that mirrors the primary identity of a kind (channel handles have none). */
export const PRIMARY_FIELD = { email: 'email', phone: 'phone', external_id: 'externalId' } as const satisfies Partial<
  Record<IdentityKind, string>
>;
export type PrimaryField = (typeof PRIMARY_FIELD)[keyof typeof PRIMARY_FIELD];
export const primaryFieldOf = (kind: IdentityKind): PrimaryField | null => (kind === 'channel_handle' ? null : PRIMARY_FIELD[kind]);

const LABEL: Record<IdentityKind, string> = {
  email: 'email address',
  phone: 'phone number',
  external_id: 'external id',
  channel_handle: 'channel handle',
};

/** Validates and normalises identities, 422 with the field path and a clear message when one is not valid. */
export async function normaliseIdentities(tx: Tx, accountId: string, raw: RawIdentity[]): Promise<IdentityInput[]> {
  const country = raw.some((r) => r.kind === 'phone') ? await phoneCountryOf(tx, accountId) : undefined;
  const out: IdentityInput[] = [];
  for (const r of raw) {
    const n = normaliseIdentity(r.kind, r.value, country);
    if (!n.ok) throw invalid(r.path, n.message);
    const channelPath = r.path.replace(/[^.]+$/, 'channelId');
    if (r.kind === 'channel_handle') {
      if (!r.channelId) throw invalid(channelPath, 'A channel handle needs the channelId of its channel');
      const [channel] = await tx
        .select({ id: channels.id })
        .from(channels)
        .where(and(eq(channels.accountId, accountId), eq(channels.id, r.channelId)));
      if (!channel) throw invalid(channelPath, 'No such channel in this account');
    } else if (r.channelId) {
      throw invalid(channelPath, 'Only channel handles belong to a channel');
    }
    if (!out.some((o) => o.kind === r.kind && o.value === n.value && o.channelId === (r.channelId ?? null))) {
      out.push({ kind: r.kind, value: n.value, channelId: r.channelId ?? null });
    }
  }
  return out;
}

/**
 * Serialises work on the same identities across transactions (two requests creating "ann@example.com" at
 * once): the loser waits, then finds the winner's customer instead of failing on the unique constraint.
 * Locks are taken in a stable order so two transactions never wait on each other.
 */
export async function lockIdentities(tx: Tx, accountId: string, list: IdentityInput[]): Promise<void> {
  const keys = [...new Set(list.map((i) => `${accountId}|${i.kind}|${i.channelId ?? ''}|${i.value}`))].sort();
  for (const key of keys) await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

export async function findIdentity(tx: Tx, accountId: string, i: IdentityInput): Promise<IdentityRow | null> {
  const [row] = await tx
    .select()
    .from(customerIdentities)
    .where(
      and(
        eq(customerIdentities.accountId, accountId),
        eq(customerIdentities.kind, i.kind),
        eq(customerIdentities.value, i.value),
        i.channelId ? eq(customerIdentities.channelId, i.channelId) : isNull(customerIdentities.channelId),
      ),
    );
  return row ?? null;
}

function takenBy(i: IdentityInput, customerId: string) {
  return conflict(`This ${LABEL[i.kind]} already belongs to another customer`, { customerId, kind: i.kind, value: i.value });
}

/** 409 with `details.customerId` when an identity belongs to someone other than `customerId` (null: anyone). */
export async function assertIdentitiesFree(tx: Tx, accountId: string, list: IdentityInput[], customerId: string | null): Promise<void> {
  for (const i of list) {
    const owner = await findIdentity(tx, accountId, i);
    if (owner && owner.customerId !== customerId) throw takenBy(i, owner.customerId);
  }
}

/** Gives the identity to the customer (locked by the caller); `added` is false when it already had it. */
export async function attachIdentity(
  tx: Tx,
  accountId: string,
  customerId: string,
  i: IdentityInput,
): Promise<{ row: IdentityRow; added: boolean }> {
  const existing = await findIdentity(tx, accountId, i);
  if (existing) {
    if (existing.customerId !== customerId) throw takenBy(i, existing.customerId);
    return { row: existing, added: false };
  }
  try {
    const [row] = await tx
      .insert(customerIdentities)
      .values({ accountId, customerId, kind: i.kind, value: i.value, channelId: i.channelId })
      .returning();
    return { row: row!, added: true };
  } catch (err) {
    // Only reachable if someone skipped lockIdentities; still a clear 409 rather than a 500.
    if (isUniqueViolation(err)) throw conflict(`This ${LABEL[i.kind]} already belongs to another customer`);
    throw err;
  }
}
