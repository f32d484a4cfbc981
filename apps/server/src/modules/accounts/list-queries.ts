import { and, desc, eq, lt } from 'drizzle-orm';
import { apiKeys, invitations } from '../../db/schema';
import { authorize } from '../../platform/authz';
import type { Ctx } from '../../platform/context';
import { read } from '../../platform/tx';
import { cursorId, toPage } from '../../platform/pagination';
import { accountPolicy } from './policy';
import { presentApiKey, presentInvitation } from './presenters';

/** Newest first. Secrets are never readable: only their hashes were stored. */
export async function listApiKeys(ctx: Ctx, query: { limit: number; cursor?: string }) {
  authorize(ctx.actor, accountPolicy, 'manage_api_keys', { accountId: ctx.accountId });
  const before = cursorId(query.cursor);
  const rows = await read(ctx, (tx) =>
    tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.accountId, ctx.accountId), before ? lt(apiKeys.id, before) : undefined))
      .orderBy(desc(apiKeys.id))
      .limit(query.limit + 1),
  );
  const page = toPage(rows, query.limit, (k) => k.id);
  return { ...page, data: page.data.map(presentApiKey) };
}

/** Newest first, every status (pending, accepted, revoked, expired); tokens are never readable. */
export async function listInvitations(ctx: Ctx, query: { limit: number; cursor?: string }) {
  authorize(ctx.actor, accountPolicy, 'manage_users', { accountId: ctx.accountId });
  const before = cursorId(query.cursor);
  const rows = await read(ctx, (tx) =>
    tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.accountId, ctx.accountId), before ? lt(invitations.id, before) : undefined))
      .orderBy(desc(invitations.id))
      .limit(query.limit + 1),
  );
  const page = toPage(rows, query.limit, (i) => i.id);
  return { ...page, data: page.data.map(presentInvitation) };
}
