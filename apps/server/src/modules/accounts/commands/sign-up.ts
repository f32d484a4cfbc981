import type { Role } from '@touchpoint/shared';
import { uuidv7 } from 'uuidv7';
import type { Db } from '../../../db/client';
import { accounts, memberships, users } from '../../../db/schema';
import { conflict, isUniqueViolation } from '../../../platform/errors';
import { emit, type EventBus } from '../../../platform/events';
import type { Ctx } from '../../../platform/context';
import { createDefaultChannels, presentChannel } from '../../channels';
import { hashPassword } from '../passwords';
import { presentAccount, presentUserSummary } from '../presenters';
import { startSession, type SessionClient } from '../sessions';
import { freeSlug } from '../slug';
import { systemCommand } from '../../../platform/tx';

export interface SignUpInput {
  accountName: string;
  name: string;
  email: string;
  password: string;
  timeZone?: string;
  sessionTtlHours?: number;
  client?: SessionClient;
}

/**
 * Creates an account with its owner and default channels, and logs the owner in. Used by the sign-up route,
 * `touchpoint create-account` and the demo seed, so it takes the database and event bus rather than a ctx:
 * there is no actor before the account exists.
 */
export async function signUp(db: Db, events: EventBus, input: SignUpInput) {
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password); // outside the transaction: ~30 ms of CPU
  for (let attempt = 0; ; attempt++) {
    try {
      return await systemCommand(db, events, async (tx) => {
        const accountId = uuidv7();
        const userId = uuidv7();
        const slug = await freeSlug(tx, input.accountName);
        const [account] = await tx
          .insert(accounts)
          .values({ id: accountId, name: input.accountName, slug, timeZone: input.timeZone ?? 'UTC' })
          .returning();
        const [user] = await tx
          .insert(users)
          .values({ id: userId, email, name: input.name, passwordHash, lastLoginAt: new Date() })
          .returning();
        await tx.insert(memberships).values({ accountId, userId, role: 'owner' });
        const channels = await createDefaultChannels(tx, accountId);
        const ctx: Ctx = {
          db,
          events,
          accountId,
          actor: { kind: 'user', userId, accountId, role: 'owner', teamIds: [], name: input.name },
          requestId: `sign-up:${accountId}`,
        };
        await emit(tx, ctx, {
          type: 'account.created',
          payload: {
            account: presentAccount(account!),
            owner: presentUserSummary(user!),
            channels: channels.map((c) => presentChannel(c)),
          },
        });
        const sessionToken = await startSession(tx, { userId, accountId, ttlHours: input.sessionTtlHours, client: input.client });
        return { account: presentAccount(account!), user: presentUserSummary(user!), role: 'owner' as Role, sessionToken };
      });
    } catch (err) {
      if (isUniqueViolation(err, 'users_email_key')) throw conflict('This email is already registered; log in instead', { field: 'email' });
      // Two sign-ups raced for the same slug: pick again.
      if (isUniqueViolation(err, 'accounts_slug_key') && attempt < 5) continue;
      throw err;
    }
  }
}
