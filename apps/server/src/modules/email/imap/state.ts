import { ZEmailChannelConfig, type EmailImapConfig, type EmailImapStatus } from '@touchpoint/shared';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/client';
import { channels, emailImapStates } from '../../../db/schema';
import { withSystem } from '../../../db/tenant';
import { toEmailChannel, type EmailChannel } from '../queries';

export type ImapStateRow = typeof emailImapStates.$inferSelect;
export interface ImapFailure {
  uid: number;
  error: string;
  attempts: number;
  gaveUp: boolean;
  at: string;
}

export interface ImapChannel extends EmailChannel {
  imap: EmailImapConfig;
}

/** An email channel with a valid `config.imap`; null otherwise. */
export function toImapChannel(row: { id: string; accountId: string; name: string; config: unknown }): ImapChannel | null {
  const channel = toEmailChannel(row);
  const config = ZEmailChannelConfig.safeParse(row.config);
  if (!channel || !config.success || !config.data.imap) return null;
  return { ...channel, imap: config.data.imap };
}

/** The account's channel, of kind email, or null. */
export async function findEmailChannelRow(tx: Tx, accountId: string, channelId: string) {
  const [row] = await tx
    .select()
    .from(channels)
    .where(and(eq(channels.accountId, accountId), eq(channels.id, channelId), eq(channels.kind, 'email')));
  return row ?? null;
}

/** Every active email channel with an IMAP mailbox, across accounts, with when it was last polled. */
export async function listImapChannels(db: Db) {
  const rows = await withSystem(db, (tx) =>
    tx
      .select({
        id: channels.id,
        accountId: channels.accountId,
        name: channels.name,
        config: channels.config,
        lastPollAt: emailImapStates.lastPollAt,
      })
      .from(channels)
      .leftJoin(emailImapStates, and(eq(emailImapStates.accountId, channels.accountId), eq(emailImapStates.channelId, channels.id)))
      .where(and(eq(channels.kind, 'email'), eq(channels.active, true), sql`${channels.config} -> 'imap' is not null`)),
  );
  return rows.flatMap((r) => {
    const channel = toImapChannel(r);
    return channel ? [{ channel, lastPollAt: r.lastPollAt }] : [];
  });
}

/**
 * Takes the mailbox for one poll: the state row (created on first use) with a lease until `until`, or null while
 * another poll (another node, or "poll now" racing the schedule) holds an unexpired lease.
 */
export async function claimMailbox(tx: Tx, accountId: string, channelId: string, now: Date, until: Date): Promise<ImapStateRow | null> {
  const [row] = await tx
    .insert(emailImapStates)
    .values({ accountId, channelId, leaseUntil: until, lastPollAt: now })
    .onConflictDoUpdate({
      target: [emailImapStates.accountId, emailImapStates.channelId],
      set: { leaseUntil: until, lastPollAt: now },
      setWhere: or(isNull(emailImapStates.leaseUntil), lt(emailImapStates.leaseUntil, now)),
    })
    .returning();
  return row ?? null;
}

export type PollOutcome = Pick<ImapStateRow, 'uidValidity' | 'lastUid' | 'lastError' | 'lastFetched'> & {
  failures: ImapFailure[];
  success: boolean;
};

/** Records a poll's outcome and releases the lease. */
export async function finishPoll(tx: Tx, accountId: string, channelId: string, outcome: PollOutcome, now: Date) {
  const [row] = await tx
    .update(emailImapStates)
    .set({
      uidValidity: outcome.uidValidity,
      lastUid: outcome.lastUid,
      lastError: outcome.lastError,
      lastFetched: outcome.lastFetched,
      failures: outcome.failures,
      ...(outcome.success ? { lastSuccessAt: now } : {}),
      leaseUntil: null,
    })
    .where(and(eq(emailImapStates.accountId, accountId), eq(emailImapStates.channelId, channelId)))
    .returning();
  return row!;
}

export async function findImapState(tx: Tx, accountId: string, channelId: string): Promise<ImapStateRow | null> {
  const [row] = await tx
    .select()
    .from(emailImapStates)
    .where(and(eq(emailImapStates.accountId, accountId), eq(emailImapStates.channelId, channelId)));
  return row ?? null;
}

export function presentImapStatus(row: ImapStateRow | null): EmailImapStatus {
  return {
    lastPollAt: row?.lastPollAt?.toISOString() ?? null,
    lastSuccessAt: row?.lastSuccessAt?.toISOString() ?? null,
    lastError: row?.lastError ?? null,
    lastFetched: row?.lastFetched ?? null,
    failures: ((row?.failures ?? []) as ImapFailure[]).map((f) => ({ ...f })),
  };
}
