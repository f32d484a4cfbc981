import type { Role } from '@touchpoint/shared';
import { randomBytes } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import { accounts, apiKeys, channels, memberships, sessions, teamMembers, teams, users } from '../src/db/schema';
import { withSystem } from '../src/db/tenant';
import type { Actor, Ctx } from '../src/platform/context';
import { hashToken, newToken, SESSION_COOKIE } from '../src/platform/http/tokens';
import type { TestApp } from './harness';

export interface TestUser {
  userId: string;
  accountId: string;
  role: Role;
  email: string;
  name: string;
  sessionToken: string;
  /** Headers for app.inject as this user (session cookie). */
  headers: { cookie: string };
  actor: Actor;
  ctx: Ctx;
}

export interface TestAccount {
  accountId: string;
  apiChannelId: string;
  owner: TestUser;
}

const uniq = () => randomBytes(4).toString('hex');

/**
 * A fresh account with an owner, a default API channel and a logged-in session; tests never share accounts,
 * so no table is ever truncated.
 */
export async function createAccount(t: TestApp, opts: { name?: string } = {}): Promise<TestAccount> {
  const accountId = uuidv7();
  const apiChannelId = uuidv7();
  await withSystem(t.database.db, async (tx) => {
    await tx.insert(accounts).values({ id: accountId, name: opts.name ?? `Acme ${uniq()}`, slug: `acme-${uniq()}` });
    await tx.insert(channels).values({ id: apiChannelId, accountId, kind: 'api', name: 'API' });
  });
  const owner = await createUser(t, accountId, 'owner');
  return { accountId, apiChannelId, owner };
}

export async function createUser(
  t: TestApp,
  accountId: string,
  role: Role,
  opts: { name?: string; teamIds?: string[] } = {},
): Promise<TestUser> {
  const userId = uuidv7();
  const email = `${role}-${uniq()}@example.test`;
  const name = opts.name ?? `${role[0]!.toUpperCase()}${role.slice(1)} ${uniq()}`;
  const sessionToken = newToken();
  await withSystem(t.database.db, async (tx) => {
    await tx.insert(users).values({ id: userId, email, name });
    await tx.insert(memberships).values({ accountId, userId, role });
    for (const teamId of opts.teamIds ?? []) await tx.insert(teamMembers).values({ accountId, teamId, userId });
    await tx
      .insert(sessions)
      .values({ tokenHash: hashToken(sessionToken), userId, accountId, expiresAt: new Date(Date.now() + 86_400_000) });
  });
  const actor: Actor = { kind: 'user', userId, accountId, role, teamIds: opts.teamIds ?? [], name };
  return {
    userId,
    accountId,
    role,
    email,
    name,
    sessionToken,
    headers: { cookie: `${SESSION_COOKIE}=${sessionToken}` },
    actor,
    ctx: { db: t.database.db, events: t.events, accountId, actor, requestId: `test-${uniq()}` },
  };
}

export async function createTeam(t: TestApp, accountId: string, name = `Team ${uniq()}`): Promise<string> {
  const id = uuidv7();
  await withSystem(t.database.db, (tx) => tx.insert(teams).values({ id, accountId, name }));
  return id;
}

/** An API key as `Authorization: Bearer` headers. */
export async function createApiKeyHeaders(t: TestApp, accountId: string, role: Role): Promise<{ authorization: string }> {
  const prefix = randomBytes(6).toString('hex');
  const secret = newToken();
  await withSystem(t.database.db, (tx) =>
    tx.insert(apiKeys).values({ accountId, name: `key ${prefix}`, role, prefix, secretHash: hashToken(secret) }),
  );
  return { authorization: `Bearer tp_${prefix}_${secret}` };
}
