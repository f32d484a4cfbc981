import type { ImapFlow } from 'imapflow';
import { systemCtx } from '../../../platform/context';
import { AppError } from '../../../platform/errors';
import type { AppDeps } from '../../../platform/module';
import { command, read } from '../../../platform/tx';
import { attachmentLimitsOf } from '../../attachments';
import { splitRecipient } from '../addresses';
import { parseMail, type InboundMail } from '../parse';
import { storeMail } from '../store-mail';
import { describeImapError, openMailbox } from './client';
import {
  claimMailbox,
  findEmailChannelRow,
  finishPoll,
  toImapChannel,
  type ImapChannel,
  type ImapFailure,
  type ImapStateRow,
} from './state';

/** Messages handled per poll; the rest wait for the next one (a backlog drains 200 at a time). */
export const MAX_PER_POLL = 200;
/** Polls a message that failed to store is retried in before it is given up on (it stays unseen in the mailbox). */
const MAX_ATTEMPTS = 3;
const MAX_FAILURES_KEPT = 50;
/** Longer than any poll can take with the client's timeouts; a crashed node's lease just runs out. */
const LEASE_MS = 10 * 60_000;

export interface Logger {
  warn(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
}

export interface PollResult {
  /** `busy`: another poll holds the mailbox; `not_configured`: no active email channel with `config.imap`. */
  skipped: 'busy' | 'not_configured' | null;
  fetched: number;
  failed: number;
  state: ImapStateRow | null;
}

interface Progress {
  uidValidity: string | null;
  lastUid: number | null;
  failures: ImapFailure[];
  fetched: number;
  failedNow: ImapFailure[];
}

/** IMAP has no envelope: the Return-Path the final MTA wrote stands in for MAIL FROM (`<>` marks a bounce). */
function returnPathOf(raw: Buffer): string {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.toString('latin1', 0, end < 0 ? Math.min(raw.length, 64 * 1024) : end);
  const m = /^return-path:[ \t]*<([^>]*)>/im.exec(head);
  // Not an address, so it neither classifies the mail nor stands in for a missing From.
  return m ? m[1]!.trim() : '(none)';
}

/** The reply token of our `Reply-To` sub-address, when the customer's mail is addressed to it. */
function tokenFor(channel: ImapChannel, mail: InboundMail): string | null {
  for (const address of [...mail.to, ...mail.cc])
    for (const { base, token } of splitRecipient(address)) if (token && base === channel.address) return token;
  return null;
}

function recordFailure(p: Progress, uid: number, error: string, permanent: boolean): void {
  const prev = p.failures.find((f) => f.uid === uid);
  const attempts = (prev?.attempts ?? 0) + 1;
  const failure = { uid, error, attempts, gaveUp: permanent || attempts >= MAX_ATTEMPTS, at: new Date().toISOString() };
  p.failures = [...p.failures.filter((f) => f.uid !== uid), failure].slice(-MAX_FAILURES_KEPT);
  p.failedNow.push(failure);
}

async function handleMessage(deps: AppDeps, channel: ImapChannel, client: ImapFlow, uid: number, p: Progress): Promise<void> {
  const msg = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
  if (!msg || !msg.source) {
    p.failures = p.failures.filter((f) => f.uid !== uid); // gone from the mailbox (deleted or moved by someone)
    return;
  }
  try {
    const mail = await parseMail(msg.source, returnPathOf(msg.source), attachmentLimitsOf(deps.config));
    await storeMail(deps, mail, [{ channel, token: tokenFor(channel, mail) }]);
  } catch (err) {
    // A mail without a sender is refused for good; anything else (the database, a deadlock) is worth a retry.
    const permanent = err instanceof AppError && err.code === 'validation_failed';
    return recordFailure(p, uid, `Not stored: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500), permanent);
  }
  p.fetched++;
  // Only now, with the mail committed: a crash before this line leaves it unseen, and the refetch is a duplicate.
  try {
    await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
    if (channel.imap.afterProcessing === 'move') {
      const moved = await client.messageMove(String(uid), channel.imap.moveTo!, { uid: true });
      if (!moved) throw new Error(`the server did not move it to "${channel.imap.moveTo}"`);
    }
    p.failures = p.failures.filter((f) => f.uid !== uid);
  } catch (err) {
    recordFailure(p, uid, `Stored, but marking it failed: ${describeImapError(err, channel.imap)}`, false);
  }
}

/**
 * One poll: new mail (UID above the last one handled, in this UIDVALIDITY) plus earlier failures to retry, oldest
 * first, at most MAX_PER_POLL. Without a usable position (first poll, UIDVALIDITY changed) it takes the UNSEEN
 * messages instead of the whole mailbox history. `p` records progress as it goes, so a connection lost halfway
 * keeps what was done.
 */
async function fetchNew(deps: AppDeps, channel: ImapChannel, p: Progress): Promise<void> {
  const { client, mailbox } = await openMailbox(channel.imap, { allowPrivate: deps.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'on' });
  try {
    const fresh = p.uidValidity !== mailbox.uidValidity || p.lastUid === null;
    if (p.uidValidity !== mailbox.uidValidity) p.failures = []; // those UIDs name other messages now
    p.uidValidity = mailbox.uidValidity;
    const after = p.lastUid ?? 0;
    const found =
      mailbox.messages === 0
        ? []
        : fresh
          ? await client.search({ seen: false }, { uid: true })
          : await client.search({ uid: `${after + 1}:*` }, { uid: true });
    // `n:*` always matches the highest UID, even below n.
    const candidates = (found || []).filter((uid) => fresh || uid > after).sort((a, b) => a - b);
    const retry = p.failures.filter((f) => !f.gaveUp && !candidates.includes(f.uid)).map((f) => f.uid);
    const batch = [...retry, ...candidates].slice(0, MAX_PER_POLL);
    const sizes = new Map<number, number>();
    if (batch.length > 0)
      for (const m of await client.fetchAll(batch.join(','), { uid: true, size: true }, { uid: true })) sizes.set(m.uid, m.size ?? 0);
    const limit = deps.config.SMTP_MAX_MESSAGE_BYTES;
    for (const uid of batch) {
      const size = sizes.get(uid);
      if (size === undefined) p.failures = p.failures.filter((f) => f.uid !== uid);
      else if (size > limit) recordFailure(p, uid, `Not stored: ${size} bytes, over SMTP_MAX_MESSAGE_BYTES (${limit})`, true);
      else await handleMessage(deps, channel, client, uid, p);
      if (!fresh && uid > after) p.lastUid = Math.max(p.lastUid ?? 0, uid);
    }
    // All unseen mail is handled: from here on, anything above the mailbox's UIDNEXT at SELECT is new.
    if (fresh && candidates.length <= batch.length - retry.length)
      p.lastUid = Math.max(Number.isFinite(mailbox.uidNext) ? mailbox.uidNext - 1 : 0, candidates.at(-1) ?? 0);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/**
 * Polls an email channel's IMAP mailbox once, unless another poll holds it. Each mail goes through storeMail, the
 * SMTP intake's path (a refetched mail is a harmless duplicate by Message-ID), and is marked \Seen (or moved) only
 * after it committed. Connection and login errors are recorded in the channel's status, never thrown.
 */
export async function pollMailbox(deps: AppDeps, log: Logger, accountId: string, channelId: string): Promise<PollResult> {
  const ctx = systemCtx({ db: deps.database.db, events: deps.events }, accountId, 'email:imap');
  const row = await read(ctx, (tx) => findEmailChannelRow(tx, accountId, channelId));
  const channel = row?.active ? toImapChannel(row) : null;
  if (!channel) return { skipped: 'not_configured', fetched: 0, failed: 0, state: null };
  const now = new Date();
  const claimed = await command(ctx, (tx) => claimMailbox(tx, accountId, channelId, now, new Date(now.getTime() + LEASE_MS)));
  if (!claimed) return { skipped: 'busy', fetched: 0, failed: 0, state: null };
  const p: Progress = {
    uidValidity: claimed.uidValidity,
    lastUid: claimed.lastUid,
    failures: claimed.failures as ImapFailure[],
    fetched: 0,
    failedNow: [],
  };
  let error: string | null = null;
  try {
    await fetchNew(deps, channel, p);
  } catch (err) {
    error = describeImapError(err, channel.imap);
    log.warn({ accountId, channelId, error }, 'email imap: poll failed');
  }
  const completed = error === null;
  if (completed && p.failedNow.length > 0) {
    const first = p.failedNow[0]!;
    error = `${p.failedNow.length} message(s) not handled, left unseen in the mailbox (UID ${first.uid}: ${first.error})`;
    log.warn(
      { accountId, channelId, failures: p.failedNow.map((f) => ({ uid: f.uid, error: f.error })) },
      'email imap: messages not handled',
    );
  }
  if (p.fetched > 0) log.info({ accountId, channelId, fetched: p.fetched }, 'email imap: mail fetched');
  const state = await command(ctx, (tx) =>
    finishPoll(
      tx,
      accountId,
      channelId,
      {
        uidValidity: p.uidValidity,
        lastUid: p.lastUid,
        failures: p.failures,
        lastFetched: p.fetched,
        lastError: error,
        success: completed,
      },
      new Date(),
    ),
  );
  return { skipped: null, fetched: p.fetched, failed: p.failedNow.length, state };
}
