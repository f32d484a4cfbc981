import { decodeCursor, encodeCursor, type Channel, type ChannelKind } from '@touchpoint/shared';
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { channels } from '../../db/schema';
import { authorize } from '../../platform/authz';
import type { Ctx } from '../../platform/context';
import { invalid } from '../../platform/errors';
import { read } from '../../platform/tx';
import { channelPolicy } from './policy';

type ChannelRow = typeof channels.$inferSelect;

export function presentChannel(c: ChannelRow, opts: { withSecret?: boolean } = {}): Channel {
  return {
    id: c.id,
    kind: c.kind as ChannelKind,
    name: c.name,
    config: c.config,
    active: c.active,
    ...(opts.withSecret ? { webhookSecret: c.webhookSecret } : {}),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
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
  const data = (more ? rows.slice(0, query.limit) : rows).map((c) => presentChannel(c, { withSecret }));
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
