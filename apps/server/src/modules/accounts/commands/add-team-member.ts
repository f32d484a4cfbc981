import { and, eq } from 'drizzle-orm';
import { memberships, teamMembers } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { notFound } from '../../../platform/errors';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { teamPolicy } from '../policy';
import { loadTeam } from '../team-queries';

/** PUT semantics: adding someone who is already in the team changes nothing and emits nothing. */
export async function addTeamMember(ctx: Ctx, teamId: string, userId: string) {
  return command(ctx, async (tx) => {
    await loadTeam(tx, ctx.accountId, teamId, { forUpdate: true });
    const [member] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.accountId, ctx.accountId), eq(memberships.userId, userId)));
    if (!member) throw notFound('User');
    authorize(ctx.actor, teamPolicy, 'manage_members', { accountId: ctx.accountId });
    const added = await tx.insert(teamMembers).values({ accountId: ctx.accountId, teamId, userId }).onConflictDoNothing().returning();
    const { team } = await loadTeam(tx, ctx.accountId, teamId);
    if (added.length > 0) await emit(tx, ctx, { type: 'team.member_added', payload: { team, userId } });
    return team;
  });
}
