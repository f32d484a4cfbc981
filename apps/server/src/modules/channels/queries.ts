import { decodeCursor, encodeCursor, publicChannelConfig, type Channel, type ChannelKind, type EmailImapStatus } from '@touchpoint/shared';
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { channels, emailImapStates } from '../../db/schema';
import { authorize } from '../../platform/authz';
import type { Ctx } from '../../platform/context';
import { invalid } from '../../platform/errors';
import { read } from '../../platform/tx';
import { channelPolicy } from './policy';

type ChannelRow = typeof channels.$inferSelect;

type ImapStateRow = typeof emailImapStates.$inferSelect;

/** Secrets inside config (an email channel's IMAP password) never leave the server, not even to admins. */
export function presentChannel(c: ChannelRow, opts: { withSecret?: boolean; imapState?: ImapStateRow | null } = {}): Channel {
  return {
    id: c.id,
    kind: c.kind as ChannelKind,
    name: c.name,
    config: publicChannelConfig(c.kind, c.config as Record<string, unknown>),
    active: c.active,
    ...(opts.withSecret ? { webhookSecret: c.webhookSecret } : {}),
    ...(opts.withSecret && opts.imapState !== undefined ? { imapStatus: presentImapStatus(opts.imapState) } : {}),
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function listChannels(ctx: Ctx, query: { limit: number; cursor?: string }) {
  authorize(ctx.actor, channelPolicy, 'read', { accountId: ctx.accountId });
  let after: string | null = null;
  if (query.cursor) {
    const id = decodeCursor(query.cursor)?.[0];
    if (typeof id !== 'string' || !UUID.test(id)) throw invalid('querystring.cursor', 'The cursor is not valid');
    after = id;
  }
  const rows = await read(ctx, (tx) =>
    tx
      .select()
      .from(channels)
      .where(and(eq(channels.accountId, ctx.accountId), after ? gt(channels.id, after) : undefined))
      .orderBy(asc(channels.id))
      .limit(query.limit + 1),
  );
  const more = rows.length > query.limit;
  const withSecret = channelPolicy.manage(ctx.actor, { accountId: ctx.accountId });
  const page = more ? rows.slice(0, query.limit) : rows;
  const imap = page.filter((c) => c.kind === 'email' && (c.config as { imap?: unknown }).imap);
  const states =
    withSecret && imap.length > 0
      ? await read(ctx, (tx) =>
          tx
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
            ),
        )
      : [];
  const data = page.map((c) =>
    presentChannel(c, { withSecret, imapState: imap.includes(c) ? (states.find((s) => s.channelId === c.id) ?? null) : undefined }),
  );
  return { data, page: { nextCursor: more ? encodeCursor([data[data.length - 1]!.id]) : null, limit: query.limit } };
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
