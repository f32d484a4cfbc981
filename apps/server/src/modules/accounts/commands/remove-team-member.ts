import { and, eq } from 'drizzle-orm';
import { teamMembers } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { teamPolicy } from '../policy';
import { loadTeam } from '../team-queries';

/** Removing someone who is not in the team is a no-op (DELETE is idempotent). */
export async function removeTeamMember(ctx: Ctx, teamId: string, userId: string) {
  return command(ctx, async (tx) => {
    await loadTeam(tx, ctx.accountId, teamId, { forUpdate: true });
    authorize(ctx.actor, teamPolicy, 'manage_members', { accountId: ctx.accountId });
    const removed = await tx
      .delete(teamMembers)
      .where(and(eq(teamMembers.accountId, ctx.accountId), eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)))
      .returning();
    const { team } = await loadTeam(tx, ctx.accountId, teamId);
    if (removed.length > 0) await emit(tx, ctx, { type: 'team.member_removed', payload: { team, userId } });
    return team;
  });
}
