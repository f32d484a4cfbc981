import type { Me, Role } from '@touchpoint/shared';
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { accounts, memberships, teamMembers, teams, users } from '../../db/schema';
import { abilitiesFor, authorize } from '../../platform/authz';
import type { Ctx } from '../../platform/context';
import { notFound } from '../../platform/errors';
import { read } from '../../platform/tx';
import { cursorId, toPage } from '../../platform/pagination';
import { accountPolicy, memberPolicy } from './policy';
import { presentAccount, presentAccountDetails, presentMember, presentUserSummary, type MemberRow } from './presenters';

/** The caller, its account and role, and what it may do (for the UI). */
export async function getMe(ctx: Ctx): Promise<{ data: Me; policies: { id: string; abilities: Record<string, boolean> }[] }> {
  const data = await read(ctx, async (tx) => {
    const [account] = await tx.select().from(accounts).where(eq(accounts.id, ctx.accountId));
    if (!account) throw notFound('Account');
    const { actor } = ctx;
    if (actor.kind === 'api_key') return { user: null, account: presentAccount(account), role: actor.role, teamIds: [] };
    if (actor.kind !== 'user') throw notFound('User');
    const [member] = await loadMembers(tx, ctx.accountId, { userIds: [actor.userId] });
    if (!member) throw notFound('User');
    return {
      user: presentUserSummary({ ...member, id: member.userId }),
      account: presentAccount(account),
      role: member.role as Role,
      teamIds: member.teams.map((t) => t.id),
    };
  });
  return { data, policies: accountPolicies(ctx) };
}

/** What the caller may do in its account (the `policies` of GET /me and GET /account). */
export function accountPolicies(ctx: Ctx) {
  return [{ id: ctx.accountId, abilities: abilitiesFor(ctx.actor, accountPolicy, { accountId: ctx.accountId }) }];
}

/** GET /account: any member (and any API key) reads its own account. */
export async function getAccountDetails(ctx: Ctx) {
  authorize(ctx.actor, accountPolicy, 'read', { accountId: ctx.accountId });
  const [account] = await read(ctx, (tx) => tx.select().from(accounts).where(eq(accounts.id, ctx.accountId)));
  if (!account) throw notFound('Account');
  return presentAccountDetails(account);
}

export async function listMembers(ctx: Ctx, query: { limit: number; cursor?: string }) {
  authorize(ctx.actor, accountPolicy, 'read', { accountId: ctx.accountId });
  const after = cursorId(query.cursor);
  const rows = await read(ctx, (tx) => loadMembers(tx, ctx.accountId, { after, limit: query.limit + 1 }));
  const page = toPage(rows, query.limit, (m) => m.userId);
  return { ...page, data: page.data.map(presentMember), policies: page.data.map((m) => memberPolicies(ctx, m)) };
}

export async function getMember(ctx: Ctx, userId: string) {
  authorize(ctx.actor, accountPolicy, 'read', { accountId: ctx.accountId });
  const [member] = await read(ctx, (tx) => loadMembers(tx, ctx.accountId, { userIds: [userId] }));
  if (!member) throw notFound('User');
  return { data: presentMember(member), policies: [memberPolicies(ctx, member)] };
}

export function memberPolicies(ctx: Ctx, m: MemberRow) {
  return {
    id: m.userId,
    abilities: abilitiesFor(ctx.actor, memberPolicy, { accountId: ctx.accountId, userId: m.userId, role: m.role as Role }),
  };
}

/** Members of one account with their teams, in user id order (the keyset of the list). */
export async function loadMembers(
  tx: Tx,
  accountId: string,
  opts: { userIds?: string[]; after?: string | null; limit?: number } = {},
): Promise<MemberRow[]> {
  const q = tx
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      role: memberships.role,
      active: memberships.active,
      lastLoginAt: users.lastLoginAt,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.accountId, accountId),
        opts.userIds ? inArray(memberships.userId, opts.userIds) : undefined,
        opts.after ? gt(memberships.userId, opts.after) : undefined,
      ),
    )
    .orderBy(asc(memberships.userId));
  const rows = opts.limit ? await q.limit(opts.limit) : await q;
  if (rows.length === 0) return [];
  const teamRows = await tx
    .select({ userId: teamMembers.userId, id: teams.id, name: teams.name })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(
      and(
        eq(teamMembers.accountId, accountId),
        inArray(
          teamMembers.userId,
          rows.map((r) => r.userId),
        ),
      ),
    )
    .orderBy(asc(teams.name));
  return rows.map((r) => ({ ...r, teams: teamRows.filter((t) => t.userId === r.userId).map(({ id, name }) => ({ id, name })) }));
}
