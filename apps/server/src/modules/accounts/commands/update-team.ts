import type { UpdateTeamBody } from '@touchpoint/shared';
import { eq } from 'drizzle-orm';
import { teams } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { isUniqueViolation } from '../../../platform/errors';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { teamPolicy } from '../policy';
import { loadTeam } from '../team-queries';
import { teamNameTaken } from './create-team';

export async function updateTeam(ctx: Ctx, teamId: string, input: UpdateTeamBody) {
  try {
    return await command(ctx, async (tx) => {
      const { row } = await loadTeam(tx, ctx.accountId, teamId, { forUpdate: true });
      authorize(ctx.actor, teamPolicy, 'update', { accountId: ctx.accountId });
      await tx
        .update(teams)
        .set({ name: input.name ?? row.name, description: input.description ?? row.description })
        .where(eq(teams.id, row.id));
      const { team } = await loadTeam(tx, ctx.accountId, teamId);
      await emit(tx, ctx, { type: 'team.updated', payload: { team, previous: { name: row.name, description: row.description } } });
      return team;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'teams_account_name_key')) throw teamNameTaken();
    throw err;
  }
}
