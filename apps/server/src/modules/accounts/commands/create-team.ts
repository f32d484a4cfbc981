import type { CreateTeamBody } from '@touchpoint/shared';
import { teams } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { conflict, isUniqueViolation } from '../../../platform/errors';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { accountPolicy } from '../policy';
import { presentTeam } from '../presenters';

export const teamNameTaken = () => conflict('A team with this name already exists', { field: 'name' });

export async function createTeam(ctx: Ctx, input: CreateTeamBody) {
  try {
    return await command(ctx, async (tx) => {
      authorize(ctx.actor, accountPolicy, 'manage_teams', { accountId: ctx.accountId });
      const [row] = await tx
        .insert(teams)
        .values({ accountId: ctx.accountId, name: input.name, description: input.description ?? '' })
        .returning();
      const team = presentTeam(row!, []);
      await emit(tx, ctx, { type: 'team.created', payload: { team } });
      return team;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'teams_account_name_key')) throw teamNameTaken();
    throw err;
  }
}
