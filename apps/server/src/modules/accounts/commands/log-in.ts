import type { Role } from '@touchpoint/shared';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { accounts, memberships, users } from '../../../db/schema';
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
 * Password login. Every failure path answers the same `invalid_credentials` after the same argon2 work, so
 * neither the message nor the timing tells whether an email is registered. After `maxAttempts` consecutive
 * failures the person is locked out for `lockoutMinutes` (423 with retryAfterSeconds).
 */
export async function logIn(db: Db, policy: LoginPolicy, input: LogInInput) {
  const email = input.email.trim().toLowerCase();
  // Login runs before any tenant is known: the lookup spans accounts by design.
  const found = await withSystem(db, async (tx) => {
    const [user] = await tx
      .select()
      .from(users)
      .where(sql`lower(${users.email}) = ${email}`);
    if (!user) return null;
    const rows = await tx
      .select({ account: accounts, role: memberships.role })
      .from(memberships)
      .innerJoin(accounts, eq(accounts.id, memberships.accountId))
      .where(and(eq(memberships.userId, user.id), eq(memberships.active, true)))
      .orderBy(asc(memberships.createdAt));
    return { user, memberships: rows };
  });

  const user = found?.user;
  if (user?.lockedUntil && user.lockedUntil > new Date()) throw locked(user.lockedUntil);
  const ok = await verifyPassword(user?.passwordHash, input.password); // argon2 outside any transaction
  if (!found || !user) throw invalidCredentials();
  if (!ok) {
    const lockedUntil = await recordFailure(db, user.id, policy);
    if (lockedUntil) throw locked(lockedUntil);
    throw invalidCredentials();
  }
  const membership = input.account ? found.memberships.find((m) => m.account.slug === input.account) : found.memberships[0];
  if (!membership) throw invalidCredentials();

  const sessionToken = await withSystem(db, async (tx) => {
    await tx.update(users).set({ failedLoginCount: 0, lockedUntil: null, lastLoginAt: new Date() }).where(eq(users.id, user.id));
    return startSession(tx, { userId: user.id, accountId: membership.account.id, ttlHours: policy.sessionTtlHours, client: input.client });
  });
  return { user: presentUserSummary(user), account: presentAccount(membership.account), role: membership.role as Role, sessionToken };
}

/** Counts the failure atomically (parallel guesses cannot skip the lock); returns the lock's end once reached. */
async function recordFailure(db: Db, userId: string, policy: LoginPolicy): Promise<Date | null> {
  return withSystem(db, async (tx) => {
    const [row] = await tx
      .update(users)
      .set({
        failedLoginCount: sql`case when ${users.failedLoginCount} + 1 >= ${policy.maxAttempts} then 0 else ${users.failedLoginCount} + 1 end`,
        lockedUntil: sql`case when ${users.failedLoginCount} + 1 >= ${policy.maxAttempts} then now() + make_interval(mins => ${policy.lockoutMinutes}::int) else ${users.lockedUntil} end`,
      })
      .where(eq(users.id, userId))
      .returning({ lockedUntil: users.lockedUntil });
    return row?.lockedUntil && row.lockedUntil > new Date() ? row.lockedUntil : null;
  });
}

function locked(until: Date): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  return new AppError('account_locked', 'Too many failed attempts; try again later', { retryAfterSeconds });
}
