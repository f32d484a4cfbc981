import { publicChannelConfig, type Channel, type ChannelKind, type EmailImapStatus } from '@touchpoint/shared';
import { and, asc, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { channels, emailImapStates } from '../../db/schema';
import { abilitiesFor, authorize } from '../../platform/authz';
import type { Ctx } from '../../platform/context';
import { notFound } from '../../platform/errors';
import { cursorId, toPage } from '../../platform/pagination';
import { read } from '../../platform/tx';
import { channelPolicy } from './policy';
import { channelSetup, type SetupEnv } from './setup';

export type ChannelRow = typeof channels.$inferSelect;

type ImapStateRow = typeof emailImapStates.$inferSelect;

/**
 * The webhook secret only when asked (the answers to creating and rotating it); `imapStatus` when an IMAP state is
 * passed (null: never polled), which callers do for admins only. Secrets inside config (an email channel's IMAP
 * password) never leave the server, not even to admins.
 */
export function presentChannel(c: ChannelRow, opts: { withSecret?: boolean; imapState?: ImapStateRow | null } = {}): Channel {
  return {
    id: c.id,
    kind: c.kind as ChannelKind,
    name: c.name,
    config: publicChannelConfig(c.kind, c.config as Record<string, unknown>),
    active: c.active,
    enabled: c.active,
    archivedAt: c.archivedAt?.toISOString() ?? null,
    ...(opts.withSecret ? { webhookSecret: c.webhookSecret } : {}),
    ...(opts.imapState !== undefined ? { imapStatus: presentImapStatus(opts.imapState) } : {}),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/** How polling an email channel's IMAP mailbox went (the email module writes it; docs/channels.md#email-in-imap-polling). */
function presentImapStatus(s: ImapStateRow | null): EmailImapStatus {
  return {
    lastPollAt: s?.lastPollAt?.toISOString() ?? null,
    lastSuccessAt: s?.lastSuccessAt?.toISOString() ?? null,
    lastError: s?.lastError ?? null,
    lastFetched: s?.lastFetched ?? null,
    failures: (s?.failures ?? []) as EmailImapStatus['failures'],
  };
}

const hasImap = (c: ChannelRow) => c.kind === 'email' && !!(c.config as { imap?: unknown }).imap;

/** The IMAP states of those of `rows` that poll a mailbox, for admins (others get none). */
async function imapStatesFor(ctx: Ctx, tx: Tx, rows: ChannelRow[]): Promise<Map<string, ImapStateRow | null> | null> {
  if (!channelPolicy.manage(ctx.actor, { accountId: ctx.accountId })) return null;
  const imap = rows.filter(hasImap);
  const states =
    imap.length === 0
      ? []
      : await tx
          .select()
          .from(emailImapStates)
          .where(
            and(
              eq(emailImapStates.accountId, ctx.accountId),
              inArray(
                emailImapStates.channelId,
                imap.map((c) => c.id),
              ),
            ),
          );
  return new Map(imap.map((c) => [c.id, states.find((s) => s.channelId === c.id) ?? null]));
}

/** The account's channels that are not archived, in id (creation) order. */
export async function listChannels(ctx: Ctx, query: { limit: number; cursor?: string }) {
  authorize(ctx.actor, channelPolicy, 'read', { accountId: ctx.accountId });
  const after = cursorId(query.cursor);
  return read(ctx, async (tx) => {
    const rows = await tx
      .select()
      .from(channels)
      .where(and(eq(channels.accountId, ctx.accountId), isNull(channels.archivedAt), after ? gt(channels.id, after) : undefined))
      .orderBy(asc(channels.id))
      .limit(query.limit + 1);
    const page = toPage(rows, query.limit, (c) => c.id);
    const states = await imapStatesFor(ctx, tx, page.data);
    return { ...page, data: page.data.map((c) => presentChannel(c, { imapState: states?.get(c.id) })) };
  });
}

/** One channel of the account that is not archived, or 404; `lock` for a command about to change it. */
export async function getChannelRow(tx: Tx, accountId: string, id: string, opts: { lock?: boolean } = {}): Promise<ChannelRow> {
  const q = tx
    .select()
    .from(channels)
    .where(and(eq(channels.accountId, accountId), eq(channels.id, id), isNull(channels.archivedAt)));
  const [row] = await (opts.lock ? q.for('update') : q);
  if (!row) throw notFound('Channel');
  return row;
}

/** GET /channels/:id: the channel and how to connect it (setup), with the caller's abilities on it. */
export async function getChannel(ctx: Ctx, id: string, env: SetupEnv) {
  const { row, states } = await read(ctx, async (tx) => {
    const row = await getChannelRow(tx, ctx.accountId, id);
    authorize(ctx.actor, channelPolicy, 'read', row);
    return { row, states: await imapStatesFor(ctx, tx, [row]) };
  });
  return {
    data: { ...presentChannel(row, { imapState: states?.get(row.id) }), setup: channelSetup(row, env) },
    policies: [{ id: row.id, abilities: abilitiesFor(ctx.actor, channelPolicy, row) }],
  };
}

/**
 * The channel a conversation lands in when the caller names none: the account's oldest active channel of
 * that kind (sign-up creates an 'api' and a 'web' one). Null when the account has none.
 */
export async function findDefaultChannel(tx: Tx, accountId: string, kind: ChannelKind): Promise<ChannelRow | null> {
  const [row] = await tx
    .select()
    .from(channels)
    .where(and(eq(channels.accountId, accountId), eq(channels.kind, kind), eq(channels.active, true)))
    .orderBy(asc(channels.createdAt), asc(channels.id))
    .limit(1);
  return row ?? null;
}
