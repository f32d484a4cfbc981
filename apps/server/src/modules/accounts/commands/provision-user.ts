import type { Role } from '@touchpoint/shared';
import { eq, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Db } from '../../../db/client';
import { accounts, memberships, teamMembers, users } from '../../../db/schema';
import { withSystem } from '../../../db/tenant';
import { systemCtx } from '../../../platform/context';
import { conflict, isUniqueViolation, notFound } from '../../../platform/errors';
import { emit, type EventBus } from '../../../platform/events';
import { hashPassword } from '../passwords';
import { presentMember } from '../presenters';
import { loadMembers } from '../queries';
import { systemCommand } from '../../../platform/tx';

export interface ProvisionUserInput {
  accountId: string;
  email: string;
  name: string;
  password: string;
  role: Role;
  teamIds?: string[];
}

/**
 * For operators and the demo seed: adds a person straight to an account (no invitation round trip). An
 * existing user with the email is attached as is (their password is left alone).
 */
export async function provisionUser(db: Db, events: EventBus, input: ProvisionUserInput) {
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  try {
    return await systemCommand(db, events, async (tx) => {
      const [existing] = await tx
        .select({ id: users.id })
        .from(users)
        .where(sql`lower(${users.email}) = ${email}`);
      const userId = existing?.id ?? uuidv7();
      if (!existing) await tx.insert(users).values({ id: userId, email, name: input.name, passwordHash });
      await tx.insert(memberships).values({ accountId: input.accountId, userId, role: input.role });
      for (const teamId of input.teamIds ?? []) await tx.insert(teamMembers).values({ accountId: input.accountId, teamId, userId });
      const [member] = await loadMembers(tx, input.accountId, { userIds: [userId] });
      const user = presentMember(member!);
      await emit(tx, systemCtx({ db, events }, input.accountId, 'provision-user'), { type: 'user.joined', payload: { user } });
      return user;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'memberships_account_user_key')) throw conflict('This person is already a member of the account');
    throw err;
  }
}

/** `--account <slug>` of the CLI. */
export async function findAccountBySlug(db: Db, slug: string) {
  const [row] = await withSystem(db, (tx) => tx.select().from(accounts).where(eq(accounts.slug, slug)));
  return row ?? null;
}

export async function getAccountBySlug(db: Db, slug: string) {
  const row = await findAccountBySlug(db, slug);
  if (!row) throw notFound(`Account "${slug}"`);
  return row;
}
