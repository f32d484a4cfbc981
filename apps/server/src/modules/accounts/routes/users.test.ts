import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { memberships } from '../../../db/schema';
import { withSystem } from '../../../db/tenant';
import { createAccount, createApiKeyHeaders, createTeam, createUser } from '../../../../test/factories';
import { useTestApp } from '../../../../test/harness';
import { eventsOf } from '../test-support';

const t = useTestApp();

const membership = (accountId: string, userId: string) =>
  withSystem(t().database.db, async (tx) => {
    const [m] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.accountId, accountId), eq(memberships.userId, userId)));
    return m!;
  });

const patchUser = (headers: Record<string, string>, id: string, payload: unknown) =>
  t().app.inject({ method: 'PATCH', url: `/api/v1/users/${id}`, headers, payload: payload as object });

describe('GET /me', () => {
  it('answers 401 without credentials', async () => {
    const res = await t().app.inject({ url: '/api/v1/me' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('returns the user, account, role, teams and abilities of the caller', async () => {
    const acc = await createAccount(t());
    const teamId = await createTeam(t(), acc.accountId);
    const agent = await createUser(t(), acc.accountId, 'agent', { teamIds: [teamId] });
    const res = await t().app.inject({ url: '/api/v1/me', headers: agent.headers });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.data).toMatchObject({ user: { id: agent.userId, name: agent.name, email: agent.email }, role: 'agent', teamIds: [teamId] });
    expect(body.data.account).toMatchObject({ id: acc.accountId, timeZone: 'UTC' });
    expect(body.policies).toEqual([{ id: acc.accountId, abilities: expect.any(Object) }]);
    expect(body.policies[0].abilities).toMatchObject({
      reply: true,
      assign: true,
      merge_customers: false,
      manage_users: false,
      manage_teams: false,
    });
  });

  it.each([
    ['analyst', { read: true, reply: false, assign: false, manage_team_members: false, manage_users: false }],
    ['supervisor', { reply: true, merge_customers: true, manage_team_members: true, manage_teams: false }],
    [
      'admin',
      {
        manage_users: true,
        manage_teams: true,
        manage_api_keys: true,
        manage_channels: true,
        view_failed_jobs: true,
        manage_owners: false,
      },
    ],
    ['owner', { manage_users: true, manage_owners: true }],
  ] as const)('derives the abilities of a %s from the role matrix', async (role, expected) => {
    const acc = await createAccount(t());
    const user = role === 'owner' ? acc.owner : await createUser(t(), acc.accountId, role);
    const res = await t().app.inject({ url: '/api/v1/me', headers: user.headers });
    expect(res.json().policies[0].abilities).toMatchObject(expected);
  });

  it('answers an API key with its role and no user', async () => {
    const acc = await createAccount(t());
    const res = await t().app.inject({ url: '/api/v1/me', headers: await createApiKeyHeaders(t(), acc.accountId, 'supervisor') });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ user: null, role: 'supervisor', account: { id: acc.accountId } });
  });
});

describe('GET /users', () => {
  it('answers 401 without credentials', async () => {
    expect((await t().app.inject({ url: '/api/v1/users' })).statusCode).toBe(401);
  });

  it('lists only members of the caller\u2019s account, with role, active and teams, page by page', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const teamId = await createTeam(t(), acc.accountId, 'Billing');
    const agent = await createUser(t(), acc.accountId, 'agent', { teamIds: [teamId] });
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const first = await t().app.inject({ url: '/api/v1/users?limit=2', headers: analyst.headers });
    expect(first.statusCode).toBe(200);
    const p1 = first.json();
    expect(p1.data).toHaveLength(2);
    expect(p1.page.nextCursor).toEqual(expect.any(String));
    const p2 = (await t().app.inject({ url: `/api/v1/users?limit=2&cursor=${p1.page.nextCursor}`, headers: analyst.headers })).json();
    const all = [...p1.data, ...p2.data];
    expect(p2.page.nextCursor).toBeNull();
    expect(all.map((u: { id: string }) => u.id).sort()).toEqual([acc.owner.userId, agent.userId, analyst.userId].sort());
    expect(all.find((u: { id: string }) => u.id === agent.userId)).toMatchObject({
      role: 'agent',
      active: true,
      teams: [{ id: teamId, name: 'Billing' }],
    });
    expect(all.some((u: { id: string }) => u.id === other.owner.userId)).toBe(false);
    // Analysts see who is who but may change no one.
    expect(p1.policies.every((p: { abilities: { update: boolean } }) => p.abilities.update === false)).toBe(true);
  });

  it('rejects a forged cursor with 422', async () => {
    const acc = await createAccount(t());
    const res = await t().app.inject({ url: '/api/v1/users?cursor=bm90LWEtY3Vyc29y', headers: acc.owner.headers });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].path).toBe('querystring.cursor');
  });

  it('answers 404 for a member of another account', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const res = await t().app.inject({ url: `/api/v1/users/${other.owner.userId}`, headers: acc.owner.headers });
    expect(res.statusCode).toBe(404);
    expect((await t().app.inject({ url: `/api/v1/users/${acc.owner.userId}`, headers: acc.owner.headers })).json().data.role).toBe('owner');
  });
});

describe('PATCH /users/:id', () => {
  it('answers 401 without credentials', async () => {
    const acc = await createAccount(t());
    expect((await patchUser({}, acc.owner.userId, { role: 'agent' })).statusCode).toBe(401);
  });

  it('answers 404 for a member of another account, changing nothing', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const victim = await createUser(t(), other.accountId, 'agent');
    const res = await patchUser(acc.owner.headers, victim.userId, { role: 'analyst' });
    expect(res.statusCode).toBe(404);
    expect((await membership(other.accountId, victim.userId)).role).toBe('agent');
  });

  it.each(['analyst', 'agent', 'supervisor'] as const)('answers 403 to a %s', async (role) => {
    const acc = await createAccount(t());
    const actor = await createUser(t(), acc.accountId, role);
    const target = await createUser(t(), acc.accountId, 'agent');
    const res = await patchUser(actor.headers, target.userId, { role: 'analyst' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('forbidden');
    expect((await membership(acc.accountId, target.userId)).role).toBe('agent');
  });

  it('lets an admin change an agent\u2019s role and emits user.role_changed', async () => {
    const acc = await createAccount(t());
    const admin = await createUser(t(), acc.accountId, 'admin');
    const target = await createUser(t(), acc.accountId, 'agent');
    const res = await patchUser(admin.headers, target.userId, { role: 'supervisor' });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ id: target.userId, role: 'supervisor', active: true });
    expect((await membership(acc.accountId, target.userId)).role).toBe('supervisor');
    const [event] = await eventsOf(t(), acc.accountId, 'user.role_changed');
    expect(event!.payload).toMatchObject({ user: { id: target.userId, role: 'supervisor' }, previous: { role: 'agent', active: true } });
    // The new role applies to the target's next request.
    expect((await t().app.inject({ url: '/api/v1/me', headers: target.headers })).json().data.role).toBe('supervisor');
  });

  it('keeps admins away from owners and admins, and from granting owner', async () => {
    const acc = await createAccount(t());
    const admin = await createUser(t(), acc.accountId, 'admin');
    const otherAdmin = await createUser(t(), acc.accountId, 'admin');
    const agent = await createUser(t(), acc.accountId, 'agent');
    expect((await patchUser(admin.headers, acc.owner.userId, { role: 'agent' })).statusCode).toBe(403);
    expect((await patchUser(admin.headers, otherAdmin.userId, { active: false })).statusCode).toBe(403);
    expect((await patchUser(admin.headers, agent.userId, { role: 'owner' })).statusCode).toBe(403);
    expect((await membership(acc.accountId, acc.owner.userId)).role).toBe('owner');
    expect((await membership(acc.accountId, otherAdmin.userId)).active).toBe(true);
    expect((await membership(acc.accountId, agent.userId)).role).toBe('agent');
    // An owner may.
    expect((await patchUser(acc.owner.headers, otherAdmin.userId, { role: 'agent' })).statusCode).toBe(200);
  });

  it('refuses (409) to demote or deactivate the last active owner', async () => {
    const acc = await createAccount(t());
    for (const body of [{ role: 'admin' }, { active: false }]) {
      const res = await patchUser(acc.owner.headers, acc.owner.userId, body);
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('conflict');
    }
    expect(await membership(acc.accountId, acc.owner.userId)).toMatchObject({ role: 'owner', active: true });
    // With a second owner, the first may step down.
    const second = await createUser(t(), acc.accountId, 'owner');
    expect((await patchUser(acc.owner.headers, acc.owner.userId, { role: 'admin' })).statusCode).toBe(200);
    expect((await patchUser(second.headers, second.userId, { role: 'admin' })).statusCode).toBe(409);
  });

  it('deactivating someone ends their sessions at once', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    expect((await t().app.inject({ url: '/api/v1/me', headers: agent.headers })).statusCode).toBe(200); // cached now
    const res = await patchUser(acc.owner.headers, agent.userId, { active: false });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.active).toBe(false);
    expect((await t().app.inject({ url: '/api/v1/me', headers: agent.headers })).statusCode).toBe(401);
    // Reactivating does not revive the old session: they log in again.
    expect((await patchUser(acc.owner.headers, agent.userId, { active: true })).json().data.active).toBe(true);
    expect((await t().app.inject({ url: '/api/v1/me', headers: agent.headers })).statusCode).toBe(401);
    expect(await eventsOf(t(), acc.accountId, 'user.deactivated')).toHaveLength(1);
    expect(await eventsOf(t(), acc.accountId, 'user.reactivated')).toHaveLength(1);
    expect(await eventsOf(t(), acc.accountId, 'user.role_changed')).toHaveLength(0);
  });

  it.each([
    ['an unknown role', { role: 'superuser' }],
    ['an empty body', {}],
    ['an unknown field', { role: 'agent', email: 'x@y.test' }],
    ['a non-boolean active', { active: 'no' }],
  ])('rejects %s with 422, changing nothing', async (_label, body) => {
    const acc = await createAccount(t());
    const target = await createUser(t(), acc.accountId, 'agent');
    const res = await patchUser(acc.owner.headers, target.userId, body);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('validation_failed');
    expect(await membership(acc.accountId, target.userId)).toMatchObject({ role: 'agent', active: true });
  });

  it('rejects a malformed id with 422', async () => {
    const acc = await createAccount(t());
    expect((await patchUser(acc.owner.headers, 'not-a-uuid', { role: 'agent' })).statusCode).toBe(422);
  });

  it('lets an admin API key manage members within its role', async () => {
    const acc = await createAccount(t());
    const key = await createApiKeyHeaders(t(), acc.accountId, 'admin');
    const target = await createUser(t(), acc.accountId, 'analyst');
    expect((await patchUser(key, target.userId, { role: 'agent' })).statusCode).toBe(200);
    expect((await patchUser(key, acc.owner.userId, { active: false })).statusCode).toBe(403);
  });
});

describe('PATCH /me', () => {
  const patchMe = (headers: Record<string, string>, payload: unknown) =>
    t().app.inject({ method: 'PATCH', url: '/api/v1/me', headers, payload: payload as object });

  it('renames the caller, and GET /me shows it at once', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const res = await patchMe(agent.headers, { name: '  Dana Reyes ' });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.user.name).toBe('Dana Reyes');
    expect((await t().app.inject({ url: '/api/v1/me', headers: agent.headers })).json().data.user.name).toBe('Dana Reyes');
  });

  it('refuses an empty name or other fields, changing nothing', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const before = (await t().app.inject({ url: '/api/v1/me', headers: agent.headers })).json().data.user.name;
    expect((await patchMe(agent.headers, { name: '' })).statusCode).toBe(422);
    expect((await patchMe(agent.headers, { name: 'X', role: 'owner' })).statusCode).toBe(422);
    expect((await t().app.inject({ url: '/api/v1/me', headers: agent.headers })).json().data.user.name).toBe(before);
  });

  it('answers 403 to an API key and 401 without credentials', async () => {
    const acc = await createAccount(t());
    expect((await patchMe(await createApiKeyHeaders(t(), acc.accountId, 'admin'), { name: 'Bot' })).statusCode).toBe(403);
    expect((await t().app.inject({ method: 'PATCH', url: '/api/v1/me', payload: { name: 'X' } })).statusCode).toBe(401);
  });
});
