import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { teamMembers, teams } from '../../db/schema';
import { abilitiesFor, authorize } from '../../platform/authz';
import type { Ctx } from '../../platform/context';
import { notFound } from '../../platform/errors';
import { read } from '../../platform/tx';
import { cursorId, toPage } from '../../platform/pagination';
import { accountPolicy, teamPolicy } from './policy';
import { presentTeam } from './presenters';

type TeamRow = typeof teams.$inferSelect;

async function withMembers(tx: Tx, accountId: string, rows: TeamRow[]) {
  if (rows.length === 0) return [];
  const members = await tx
    .select({ teamId: teamMembers.teamId, userId: teamMembers.userId })
    .from(teamMembers)
    .where(
      and(
        eq(teamMembers.accountId, accountId),
        inArray(
          teamMembers.teamId,
          rows.map((r) => r.id),
        ),
      ),
    )
    .orderBy(asc(teamMembers.createdAt), asc(teamMembers.userId));
  return rows.map((t) =>
    presentTeam(
      t,
      members.filter((m) => m.teamId === t.id).map((m) => m.userId),
    ),
  );
}

/** One team of the account with its member ids, or 404 (also for another account's team). */
export async function loadTeam(tx: Tx, accountId: string, teamId: string, opts: { forUpdate?: boolean } = {}) {
  const q = tx
    .select()
    .from(teams)
    .where(and(eq(teams.accountId, accountId), eq(teams.id, teamId)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  if (!row) throw notFound('Team');
  return { row, team: (await withMembers(tx, accountId, [row]))[0]! };
}

const teamPolicies = (ctx: Ctx, id: string) => ({ id, abilities: abilitiesFor(ctx.actor, teamPolicy, { accountId: ctx.accountId }) });

export async function listTeams(ctx: Ctx, query: { limit: number; cursor?: string }) {
  authorize(ctx.actor, accountPolicy, 'read', { accountId: ctx.accountId });
  const after = cursorId(query.cursor);
  const data = await read(ctx, async (tx) => {
    const rows = await tx
      .select()
      .from(teams)
      .where(and(eq(teams.accountId, ctx.accountId), after ? gt(teams.id, after) : undefined))
      .orderBy(asc(teams.id))
      .limit(query.limit + 1);
    return withMembers(tx, ctx.accountId, rows);
  });
  const page = toPage(data, query.limit, (t) => t.id);
  return { ...page, policies: page.data.map((t) => teamPolicies(ctx, t.id)) };
}

export async function getTeam(ctx: Ctx, teamId: string) {
  authorize(ctx.actor, accountPolicy, 'read', { accountId: ctx.accountId });
  const { team } = await read(ctx, (tx) => loadTeam(tx, ctx.accountId, teamId));
  return { data: team, policies: [teamPolicies(ctx, team.id)] };
}
