import type { Role, UpdateUserBody } from '@touchpoint/shared';
import { and, eq, isNull } from 'drizzle-orm';
import { memberships, sessions } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { conflict, forbidden, notFound } from '../../../platform/errors';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { mayGrant, memberPolicy } from '../policy';
import { presentMember } from '../presenters';
import { loadMembers } from '../queries';

/**
 * Changes a member's role and/or deactivates (or reactivates) them. The last active owner can be neither
 * demoted nor deactivated, so an account always has someone who can manage it. Deactivating also revokes the
 * person's sessions in this account: being reactivated means logging in again.
 */
export async function updateMember(ctx: Ctx, userId: string, input: UpdateUserBody) {
  return command(ctx, async (tx) => {
    const [m] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.accountId, ctx.accountId), eq(memberships.userId, userId)))
      .for('update');
    if (!m) throw notFound('User');
    authorize(ctx.actor, memberPolicy, 'update', { accountId: ctx.accountId, userId, role: m.role as Role });
    if (input.role && !mayGrant(ctx.actor, input.role)) throw forbidden('You may not grant a role above your own');

    const role = input.role ?? (m.role as Role);
    const active = input.active ?? m.active;
    if (m.role === 'owner' && m.active && (role !== 'owner' || !active)) {
      // Locking every active owner row serialises two owners demoting each other at the same time.
      const owners = await tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(and(eq(memberships.accountId, ctx.accountId), eq(memberships.role, 'owner'), eq(memberships.active, true)))
        .for('update');
      if (owners.length <= 1) throw conflict('The account needs at least one active owner; make someone else owner first');
    }

    if (role !== m.role || active !== m.active) {
      await tx.update(memberships).set({ role, active }).where(eq(memberships.id, m.id));
      if (!active && m.active) {
        await tx
          .update(sessions)
          .set({ revokedAt: new Date() })
          .where(and(eq(sessions.accountId, ctx.accountId), eq(sessions.userId, userId), isNull(sessions.revokedAt)));
      }
    }
    const [member] = await loadMembers(tx, ctx.accountId, { userIds: [userId] });
    const previous = { role: m.role, active: m.active };
    if (role !== m.role) await emit(tx, ctx, { type: 'user.role_changed', payload: { user: presentMember(member!), previous } });
    if (active !== m.active) {
      await emit(tx, ctx, { type: active ? 'user.reactivated' : 'user.deactivated', payload: { user: presentMember(member!), previous } });
    }
    return member!;
  });
}
