import { decodeCursor, encodeCursor, type ListOutboxQuery, type OutboxEmail } from '@touchpoint/shared';
import { and, desc, eq, lt, or } from 'drizzle-orm';
import { emailOutbox } from '../../db/schema';
import { isAtLeast } from '../../platform/authz';
import type { Ctx } from '../../platform/context';
import { forbidden, invalid } from '../../platform/errors';
import { read } from '../../platform/tx';

type OutboxRow = typeof emailOutbox.$inferSelect;

const presentOutboxEmail = (r: OutboxRow): OutboxEmail => ({
  id: r.id,
  messageId: r.messageId,
  conversationId: r.conversationId,
  channelId: r.channelId,
  from: r.fromAddress,
  to: r.toAddress,
  subject: r.subject,
  messageIdHeader: r.messageIdHeader,
  raw: r.raw,
  createdAt: r.createdAt.toISOString(),
});

/** Newest first, keyset-paginated on (created_at, id). Admins only: it holds every customer's mail. */
export async function listOutbox(ctx: Ctx, query: ListOutboxQuery) {
  if (!isAtLeast(ctx.actor, 'admin')) throw forbidden('Only admins can read the email outbox');
  let after: { at: Date; id: string } | null = null;
  if (query.cursor) {
    const [at, id] = decodeCursor(query.cursor) ?? [];
    if (typeof at !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(at)))
      throw invalid('querystring.cursor', 'The cursor is not valid');
    after = { at: new Date(at), id };
  }
  const rows = await read(ctx, (tx) =>
    tx
      .select()
      .from(emailOutbox)
      .where(
        and(
          eq(emailOutbox.accountId, ctx.accountId),
          after
            ? or(lt(emailOutbox.createdAt, after.at), and(eq(emailOutbox.createdAt, after.at), lt(emailOutbox.id, after.id)))
            : undefined,
        ),
      )
      .orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id))
      .limit(query.limit + 1),
  );
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const last = page.at(-1);
  return {
    data: page.map(presentOutboxEmail),
    page: { nextCursor: more && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null, limit: query.limit },
  };
}
