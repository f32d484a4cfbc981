import type { CreateInvitationBody } from '@touchpoint/shared';
import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { invitations, memberships, teams, users } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { conflict, forbidden, invalid } from '../../../platform/errors';
import { emit } from '../../../platform/events';
import { hashToken, newToken } from '../../../platform/http/tokens';
import { command } from '../../../platform/tx';
import { accountPolicy, mayGrant } from '../policy';
import { presentInvitation } from '../presenters';

export const INVITATION_TTL_MS = 7 * 24 * 3_600_000;

/**
 * Invites a person by email with a role (at most the inviter's) and teams. The token is returned once and
 * only its hash is stored; whoever holds it may join, so it is shared with the invitee only.
 */
export async function createInvitation(ctx: Ctx, input: CreateInvitationBody) {
  const email = input.email.trim().toLowerCase();
  const teamIds = [...new Set(input.teamIds ?? [])];
  const token = newToken();
  return command(ctx, async (tx) => {
    authorize(ctx.actor, accountPolicy, 'manage_users', { accountId: ctx.accountId });
    if (!mayGrant(ctx.actor, input.role)) throw forbidden('You may not invite someone with a role above your own');
    if (teamIds.length > 0) {
      const found = await tx
        .select({ id: teams.id })
        .from(teams)
        .where(and(eq(teams.accountId, ctx.accountId), inArray(teams.id, teamIds)));
      if (found.length !== teamIds.length) throw invalid('body.teamIds', 'Some of these teams do not exist');
    }
    // Serialises two admins inviting the same address at once (there is no unique index on pending invitations).
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`invite:${ctx.accountId}:${email}`}, 0))`);
    const [member] = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.accountId, ctx.accountId), sql`lower(${users.email}) = ${email}`));
    if (member) throw conflict('This person is already a member of the account', { userId: member.userId });
    const [pending] = await tx
      .select({ id: invitations.id })
      .from(invitations)
      .where(
        and(
          eq(invitations.accountId, ctx.accountId),
          sql`lower(${invitations.email}) = ${email}`,
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, new Date()),
        ),
      );
    if (pending) throw conflict('This email already has a pending invitation; revoke it to send a new one', { invitationId: pending.id });

    const [row] = await tx
      .insert(invitations)
      .values({
        accountId: ctx.accountId,
        email,
        role: input.role,
        teamIds,
        tokenHash: hashToken(token),
        invitedById: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      })
      .returning();
    const invitation = presentInvitation(row!);
    await emit(tx, ctx, { type: 'user.invited', payload: { invitation } });
    return { invitation, token };
  });
}
