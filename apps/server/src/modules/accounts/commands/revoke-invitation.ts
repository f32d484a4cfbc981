import { and, eq } from 'drizzle-orm';
import { invitations } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { conflict, notFound } from '../../../platform/errors';
import { command } from '../../../platform/tx';
import { accountPolicy } from '../policy';

/** Revoking twice is a no-op; an invitation that was already accepted cannot be revoked (deactivate the user). */
export async function revokeInvitation(ctx: Ctx, invitationId: string): Promise<void> {
  await command(ctx, async (tx) => {
    const [row] = await tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.accountId, ctx.accountId), eq(invitations.id, invitationId)))
      .for('update');
    if (!row) throw notFound('Invitation');
    authorize(ctx.actor, accountPolicy, 'manage_users', { accountId: ctx.accountId });
    if (row.acceptedAt) throw conflict('This invitation was already accepted; deactivate the user instead');
    if (!row.revokedAt) await tx.update(invitations).set({ revokedAt: new Date() }).where(eq(invitations.id, row.id));
  });
}
