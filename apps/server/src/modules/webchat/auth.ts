import { and, eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { webchatVisitors } from '../../db/schema';
import { withTenant } from '../../db/tenant';
import { systemCtx } from '../../platform/context';
import { AppError } from '../../platform/errors';
import { hashToken } from '../../platform/http/tokens';
import type { AppDeps } from '../../platform/module';
import { command } from '../../platform/tx';
import { webhookChannel, type WebhookChannel } from '../channels';
import { findVisitorWithMerge, survivorOf, type VisitorRow } from './queries';

/** An active channel of kind `web`; anything else (unknown, inactive, another kind) is a 404. */
export const webChannel = (deps: Pick<AppDeps, 'database'>, channelId: string): Promise<WebhookChannel> =>
  webhookChannel(deps, channelId, ['web']);

/** The visitor token: `Authorization: Bearer` on HTTP, `?token=` on the WebSocket (browsers cannot set its headers). */
function tokenOf(req: FastifyRequest, allowQuery: boolean): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (m) return m[1]!;
  const q = req.query as { token?: unknown } | undefined;
  return allowQuery && typeof q?.token === 'string' && q.token ? q.token : null;
}

/** The visitor of the request's token on this channel; 401 without a token or with one of no visitor here. */
export async function visitorOf(
  deps: Pick<AppDeps, 'database' | 'events'>,
  req: FastifyRequest,
  channel: WebhookChannel,
  opts: { allowQuery?: boolean } = {},
): Promise<VisitorRow> {
  const token = tokenOf(req, opts.allowQuery ?? false);
  if (!token) throw new AppError('unauthenticated', 'Start a visitor session and send its token as "Authorization: Bearer <token>"');
  const hash = hashToken(token);
  const found = await findVisitorWithMerge(deps.database.db, channel.accountId, channel.id, hash);
  if (!found) throw new AppError('unauthenticated', 'The visitor token is invalid for this channel');
  let visitor = found.row;
  if (found.mergedIntoId) {
    // The visitor's profile was merged into another one: continue as the survivor (chains are rare), and remember it.
    const survivor = (await withTenant(deps.database.db, channel.accountId, (tx) =>
      survivorOf(tx, channel.accountId, visitor.customerId),
    ))!;
    const ctx = systemCtx({ db: deps.database.db, events: deps.events }, visitor.accountId, 'webchat');
    await command(ctx, (tx) =>
      tx
        .update(webchatVisitors)
        .set({ customerId: survivor })
        .where(and(eq(webchatVisitors.accountId, visitor.accountId), eq(webchatVisitors.id, visitor.id))),
    );
    visitor = { ...visitor, customerId: survivor };
  }
  // A coarse "last seen" (once a minute at most), so stale visitors can be cleaned up without every read writing.
  if (!visitor.lastSeenAt || Date.now() - visitor.lastSeenAt.getTime() > 60_000) {
    const ctx = systemCtx({ db: deps.database.db, events: deps.events }, visitor.accountId, 'webchat');
    await command(ctx, (tx) =>
      tx
        .update(webchatVisitors)
        .set({ lastSeenAt: new Date() })
        .where(and(eq(webchatVisitors.accountId, visitor.accountId), eq(webchatVisitors.id, visitor.id))),
    );
  }
  return visitor;
}
