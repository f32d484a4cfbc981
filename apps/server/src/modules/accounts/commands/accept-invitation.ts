import { ZPassword, type Role } from '@touchpoint/shared';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Db, Tx } from '../../../db/client';
import { accounts, invitations, memberships, teamMembers, teams, users } from '../../../db/schema';
import { withSystem } from '../../../db/tenant';
import type { Ctx } from '../../../platform/context';
import { AppError, conflict, invalid, isUniqueViolation, notFound } from '../../../platform/errors';
import { emit, type EventBus } from '../../../platform/events';
import { hashToken } from '../../../platform/http/tokens';
import { hashPassword, verifyPassword } from '../passwords';
import { invitationStatus, presentAccount, presentMember, presentUserSummary } from '../presenters';
import { loadMembers } from '../queries';
import { startSession, type SessionClient } from '../sessions';
import { systemCommand } from '../../../platform/tx';

export interface AcceptInvitationInput {
  token: string;
  name?: string;
  password: string;
  sessionTtlHours?: number;
  client?: SessionClient;
}

type InvitationRow = typeof invitations.$inferSelect;

function assertPending(inv: InvitationRow | undefined): InvitationRow {
  if (!inv) throw notFound('Invitation');
  const status = invitationStatus(inv);
  if (status !== 'pending') throw conflict(`This invitation is ${status}; ask for a new one`, { invitationStatus: status });
  return inv;
}

/**
 * Joins the inviting account: a new person gets a user with the chosen password; someone who already has a
 * user (in another account) proves it with their current password, so holding the token alone never lets
 * anyone act as an existing person. Then membership, teams, and a session in the new account.
 */
export async function acceptInvitation(db: Db, events: EventBus, input: AcceptInvitationInput) {
  const tokenHash = hashToken(input.token);
  // The token is all we know: the lookup precedes any tenant.
  const found = await withSystem(db, async (tx) => {
    const [inv] = await tx.select().from(invitations).where(eq(invitations.tokenHash, tokenHash));
    if (!inv) return null;
    const [user] = await tx
      .select()
      .from(users)
      .where(sql`lower(${users.email}) = ${inv.email.toLowerCase()}`);
    return { inv, user };
  });
  const inv = assertPending(found?.inv);
  const existing = found?.user;

  let passwordHash: string | null = null;
  if (existing) {
    if (!(await verifyPassword(existing.passwordHash, input.password))) {
      throw new AppError('invalid_credentials', 'You already have an account with this email: enter its current password');
    }
  } else {
    if (!input.name) throw invalid('body.name', 'Your name is required');
    const pw = ZPassword.safeParse(input.password);
    if (!pw.success) throw invalid('body.password', pw.error.issues[0]?.message ?? 'Invalid password');
    passwordHash = await hashPassword(input.password);
  }

  try {
    return await systemCommand(db, events, async (tx) => {
      const [locked] = await tx.select().from(invitations).where(eq(invitations.id, inv.id)).for('update');
      const invitation = assertPending(locked); // accepted twice at once: the second one stops here
      const userId = existing?.id ?? uuidv7();
      if (existing) {
        const [member] = await tx
          .select({ id: memberships.id })
          .from(memberships)
          .where(and(eq(memberships.accountId, invitation.accountId), eq(memberships.userId, userId)));
        if (member) throw conflict('You are already a member of this account; log in instead');
        await tx.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, userId));
      } else {
        await tx.insert(users).values({ id: userId, email: invitation.email, name: input.name!, passwordHash, lastLoginAt: new Date() });
      }
      await joinAccount(tx, invitation, userId);
      const [account] = await tx.select().from(accounts).where(eq(accounts.id, invitation.accountId));
      const [member] = await loadMembers(tx, invitation.accountId, { userIds: [userId] });
      const ctx: Ctx = {
        db,
        events,
        accountId: invitation.accountId,
        actor: {
          kind: 'user',
          userId,
          accountId: invitation.accountId,
          role: invitation.role as Role,
          teamIds: member!.teams.map((t) => t.id),
          name: member!.name,
        },
        requestId: `invitation:${invitation.id}`,
      };
      await emit(tx, ctx, { type: 'user.joined', payload: { user: presentMember(member!), invitationId: invitation.id } });
      const sessionToken = await startSession(tx, {
        userId,
        accountId: invitation.accountId,
        ttlHours: input.sessionTtlHours,
        client: input.client,
      });
      return {
        user: presentUserSummary({ id: userId, name: member!.name, email: member!.email }),
        account: presentAccount(account!),
        role: invitation.role as Role,
        sessionToken,
      };
    });
  } catch (err) {
    if (isUniqueViolation(err, 'users_email_key')) throw conflict('This email was registered meanwhile; accept again with its password');
    throw err;
  }
}

/** Membership with the invited role, plus the invited teams that still exist. */
async function joinAccount(tx: Tx, invitation: InvitationRow, userId: string): Promise<void> {
  const { accountId } = invitation;
  await tx.insert(memberships).values({ accountId, userId, role: invitation.role });
  if (invitation.teamIds.length > 0) {
    const live = await tx
      .select({ id: teams.id })
      .from(teams)
      .where(and(eq(teams.accountId, accountId), inArray(teams.id, invitation.teamIds)));
    if (live.length > 0) await tx.insert(teamMembers).values(live.map((t) => ({ accountId, teamId: t.id, userId })));
  }
  await tx.update(invitations).set({ acceptedAt: new Date() }).where(eq(invitations.id, invitation.id));
}
