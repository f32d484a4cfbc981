import type { Role } from '@touchpoint/shared';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { accounts, loginAttempts, memberships, users } from '../../../db/schema';
import { withSystem } from '../../../db/tenant';
import { AppError } from '../../../platform/errors';
import { verifyPassword } from '../passwords';
import { presentAccount, presentUserSummary } from '../presenters';
import { startSession, type SessionClient } from '../sessions';

export interface LogInInput {
  email: string;
  password: string;
  /** Slug of the account to enter; defaults to the person's oldest active membership. */
  account?: string;
  client?: SessionClient;
}

export interface LoginPolicy {
  maxAttempts: number;
  lockoutMinutes: number;
  sessionTtlHours: number;
}

const invalidCredentials = () => new AppError('invalid_credentials', 'The email or password is not correct');

/**
 * Password login. Registered and unknown emails cannot be told apart: every failure counts against the
 * normalised email (login_attempts, whether or not anyone has it), after `maxAttempts` consecutive failures that
 * email answers 423 for `lockoutMinutes`, and every attempt, locked or not, spends one argon2 verification (a
 * dummy hash stands in when there is no person or the email is locked).
 */
export async function logIn(db: Db, policy: LoginPolicy, input: LogInInput) {
  const email = input.email.trim().toLowerCase();
  // Login runs before any tenant is known: the lookup spans accounts by design.
  const found = await withSystem(db, async (tx) => {
    const [user] = await tx
      .select()
      .from(users)
      .where(sql`lower(${users.email}) = ${email}`);
    const rows = await tx
      .select({ account: accounts, role: memberships.role })
      .from(memberships)
      .innerJoin(accounts, eq(accounts.id, memberships.accountId))
      .where(and(eq(memberships.userId, user?.id ?? NO_USER), eq(memberships.active, true)))
      .orderBy(asc(memberships.createdAt));
    const [attempts] = await tx.select().from(loginAttempts).where(eq(loginAttempts.email, email));
    return {
      user,
      memberships: rows,
      lockedUntil: attempts?.lockedUntil && attempts.lockedUntil > new Date() ? attempts.lockedUntil : null,
    };
  });

  const { user, lockedUntil } = found;
  const ok = await verifyPassword(lockedUntil ? null : user?.passwordHash, input.password); // argon2 outside any transaction
  if (lockedUntil) throw locked(lockedUntil);
  const membership = input.account ? found.memberships.find((m) => m.account.slug === input.account) : found.memberships[0];
  if (!ok || !user || !membership) {
    const until = await recordFailure(db, email, policy);
    if (until) throw locked(until);
    throw invalidCredentials();
  }

  const sessionToken = await withSystem(db, async (tx) => {
    await tx.delete(loginAttempts).where(eq(loginAttempts.email, email));
    await tx.update(users).set({ failedLoginCount: 0, lockedUntil: null, lastLoginAt: new Date() }).where(eq(users.id, user.id));
    return startSession(tx, { userId: user.id, accountId: membership.account.id, ttlHours: policy.sessionTtlHours, client: input.client });
  });
  return { user: presentUserSummary(user), account: presentAccount(membership.account), role: membership.role as Role, sessionToken };
}

/** Stands in for a missing person, so an unknown email runs the same queries as a known one. */
const NO_USER = '00000000-0000-0000-0000-000000000000';
/** Rows of emails that stopped failing are forgotten after this long, so guessed addresses do not pile up. */
const FORGET_AFTER = '1 day';

/** Counts the failure atomically (parallel guesses cannot skip the lock); returns the lock's end once reached. */
async function recordFailure(db: Db, email: string, policy: LoginPolicy): Promise<Date | null> {
  return withSystem(db, async (tx) => {
    const reached = sql`${loginAttempts.failedCount} + 1 >= ${policy.maxAttempts}`;
    const lockEnd = sql`now() + make_interval(mins => ${policy.lockoutMinutes}::int)`;
    const [row] = await tx
      .insert(loginAttempts)
      .values({
        email,
        failedCount: policy.maxAttempts <= 1 ? 0 : 1,
        lockedUntil: policy.maxAttempts <= 1 ? lockEnd : null,
      })
      .onConflictDoUpdate({
        target: loginAttempts.email,
        set: {
          failedCount: sql`case when ${reached} then 0 else ${loginAttempts.failedCount} + 1 end`,
          lockedUntil: sql`case when ${reached} then ${lockEnd} else ${loginAttempts.lockedUntil} end`,
          lastFailedAt: sql`now()`,
        },
      })
      .returning({ lockedUntil: loginAttempts.lockedUntil });
    await tx.delete(loginAttempts)
      .where(sql`${loginAttempts.lastFailedAt} < now() - ${FORGET_AFTER}::interval and ${loginAttempts.email} <> ${email}
        and (${loginAttempts.lockedUntil} is null or ${loginAttempts.lockedUntil} < now())`);
    return row?.lockedUntil && row.lockedUntil > new Date() ? row.lockedUntil : null;
  });
}

function locked(until: Date): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  return new AppError('account_locked', 'Too many failed attempts; try again later', { retryAfterSeconds });
}
