import { and, eq } from 'drizzle-orm';
import { teams } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { conflict } from '../../../platform/errors';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { teamPolicy } from '../policy';
import { loadTeam } from '../team-queries';

const isForeignKeyViolation = (err: unknown) =>
  ((err as { cause?: { code?: string } })?.cause ?? (err as { code?: string }))?.code === '23503';

/**
 * Deletes a team and its memberships. A team that conversations still point at is kept (409) rather than
 * silently unassigning them.
 */
export async function deleteTeam(ctx: Ctx, teamId: string): Promise<void> {
  try {
    await command(ctx, async (tx) => {
      const { team } = await loadTeam(tx, ctx.accountId, teamId, { forUpdate: true });
      authorize(ctx.actor, teamPolicy, 'delete', { accountId: ctx.accountId });
      await tx.delete(teams).where(and(eq(teams.accountId, ctx.accountId), eq(teams.id, teamId)));
      await emit(tx, ctx, { type: 'team.deleted', payload: { team } });
    });
  } catch (err) {
    if (isForeignKeyViolation(err)) throw conflict('Conversations are still assigned to this team; reassign them first');
    throw err;
  }
}
