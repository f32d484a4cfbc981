import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { teamMembers, teams } from '../../../db/schema';
import { withSystem } from '../../../db/tenant';
import { createAccount, createTeam, createUser } from '../../../../test/factories';
import { useTestApp } from '../../../../test/harness';
import { eventsOf } from '../test-support';

const t = useTestApp();

type Headers = Record<string, string>;
const req = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT', url: string, headers: Headers = {}, payload?: object) =>
  t().app.inject({ method, url: `/api/v1${url}`, headers, payload });
const teamRow = (id: string) => withSystem(t().database.db, async (tx) => (await tx.select().from(teams).where(eq(teams.id, id)))[0]);
const teamCount = (accountId: string) =>
  withSystem(t().database.db, async (tx) => (await tx.select({ n: count() }).from(teams).where(eq(teams.accountId, accountId)))[0]!.n);
const memberIds = (teamId: string) =>
  withSystem(t().database.db, async (tx) =>
    (await tx.select().from(teamMembers).where(eq(teamMembers.teamId, teamId))).map((m) => m.userId),
  );

describe('401 without credentials on every team route', () => {
  it.each([
    ['GET', '/teams'],
    ['POST', '/teams'],
    ['GET', '/teams/00000000-0000-7000-8000-000000000000'],
    ['PATCH', '/teams/00000000-0000-7000-8000-000000000000'],
    ['DELETE', '/teams/00000000-0000-7000-8000-000000000000'],
    ['PUT', '/teams/00000000-0000-7000-8000-000000000000/members/00000000-0000-7000-8000-000000000000'],
    ['DELETE', '/teams/00000000-0000-7000-8000-000000000000/members/00000000-0000-7000-8000-000000000000'],
  ] as const)('%s %s', async (method, url) => {
    const res = await req(method, url, {}, method === 'POST' || method === 'PATCH' ? { name: 'x' } : undefined);
    expect(res.statusCode).toBe(401);
  });
});

describe('teams CRUD', () => {
  it('creates, reads, renames and deletes a team, emitting team.* events', async () => {
    const acc = await createAccount(t());
    const created = await req('POST', '/teams', acc.owner.headers, { name: 'Returns', description: 'Refunds and returns' });
    expect(created.statusCode).toBe(201);
    const team = created.json().data;
    expect(team).toMatchObject({ name: 'Returns', description: 'Refunds and returns', memberIds: [] });

    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const got = await req('GET', `/teams/${team.id}`, analyst.headers);
    expect(got.json()).toMatchObject({
      data: { id: team.id },
      policies: [{ id: team.id, abilities: { update: false, manage_members: false } }],
    });
    expect((await req('GET', '/teams', analyst.headers)).json().data.map((x: { id: string }) => x.id)).toEqual([team.id]);

    const renamed = await req('PATCH', `/teams/${team.id}`, acc.owner.headers, { name: 'Returns EU' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().data).toMatchObject({ name: 'Returns EU', description: 'Refunds and returns' });

    expect((await req('DELETE', `/teams/${team.id}`, acc.owner.headers)).statusCode).toBe(204);
    expect(await teamRow(team.id)).toBeUndefined();
    expect((await req('GET', `/teams/${team.id}`, acc.owner.headers)).statusCode).toBe(404);

    expect(await eventsOf(t(), acc.accountId, 'team.created')).toHaveLength(1);
    expect(await eventsOf(t(), acc.accountId, 'team.updated')).toHaveLength(1);
    const deleted = await eventsOf(t(), acc.accountId, 'team.deleted');
    expect(deleted.map((e) => (e.payload.team as { id: string }).id)).toEqual([team.id]);
  });

  it('answers 409 for a duplicate name (any case), on create and rename, changing nothing', async () => {
    const acc = await createAccount(t());
    await createTeam(t(), acc.accountId, 'Sales');
    const other = await createTeam(t(), acc.accountId, 'Support');
    const before = await teamCount(acc.accountId);
    const dup = await req('POST', '/teams', acc.owner.headers, { name: 'SALES' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('conflict');
    expect((await req('PATCH', `/teams/${other}`, acc.owner.headers, { name: 'sales' })).statusCode).toBe(409);
    expect(await teamCount(acc.accountId)).toBe(before);
    expect((await teamRow(other))!.name).toBe('Support');
    // The same name in another account is fine.
    const elsewhere = await createAccount(t());
    expect((await req('POST', '/teams', elsewhere.owner.headers, { name: 'Sales' })).statusCode).toBe(201);
  });

  it.each(['analyst', 'agent', 'supervisor'] as const)('answers 403 to a %s on create, rename and delete', async (role) => {
    const acc = await createAccount(t());
    const user = await createUser(t(), acc.accountId, role);
    const teamId = await createTeam(t(), acc.accountId, 'Keep');
    expect((await req('POST', '/teams', user.headers, { name: 'New' })).statusCode).toBe(403);
    expect((await req('PATCH', `/teams/${teamId}`, user.headers, { name: 'Renamed' })).statusCode).toBe(403);
    expect((await req('DELETE', `/teams/${teamId}`, user.headers)).statusCode).toBe(403);
    expect(await teamCount(acc.accountId)).toBe(1);
    expect((await teamRow(teamId))!.name).toBe('Keep');
  });

  it('answers 404 for another account\u2019s team on every route, changing nothing', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const foreign = await createTeam(t(), other.accountId, 'Theirs');
    const theirAgent = await createUser(t(), other.accountId, 'agent');
    const ourAgent = await createUser(t(), acc.accountId, 'agent');
    expect((await req('GET', `/teams/${foreign}`, acc.owner.headers)).statusCode).toBe(404);
    expect((await req('PATCH', `/teams/${foreign}`, acc.owner.headers, { name: 'Mine' })).statusCode).toBe(404);
    expect((await req('DELETE', `/teams/${foreign}`, acc.owner.headers)).statusCode).toBe(404);
    expect((await req('PUT', `/teams/${foreign}/members/${ourAgent.userId}`, acc.owner.headers)).statusCode).toBe(404);
    expect((await req('DELETE', `/teams/${foreign}/members/${theirAgent.userId}`, acc.owner.headers)).statusCode).toBe(404);
    // Nor can our team take their member.
    const ours = await createTeam(t(), acc.accountId);
    expect((await req('PUT', `/teams/${ours}/members/${theirAgent.userId}`, acc.owner.headers)).statusCode).toBe(404);
    expect((await teamRow(foreign))!.name).toBe('Theirs');
    expect(await memberIds(ours)).toEqual([]);
  });

  it.each([
    ['an empty name', 'POST', { name: '' }],
    ['an oversized description', 'POST', { name: 'Big', description: 'x'.repeat(3000) }],
    ['an empty patch', 'PATCH', {}],
    ['a numeric name', 'PATCH', { name: 42 }],
  ] as const)('rejects %s with 422, changing nothing', async (_label, method, body) => {
    const acc = await createAccount(t());
    const teamId = await createTeam(t(), acc.accountId, 'Stable');
    const res = await req(method, method === 'POST' ? '/teams' : `/teams/${teamId}`, acc.owner.headers, body);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('validation_failed');
    expect(await teamCount(acc.accountId)).toBe(1);
    expect((await teamRow(teamId))!.name).toBe('Stable');
  });
});

describe('PUT/DELETE /teams/:id/members/:userId', () => {
  it('lets a supervisor add and remove members idempotently, emitting once each', async () => {
    const acc = await createAccount(t());
    const supervisor = await createUser(t(), acc.accountId, 'supervisor');
    const agent = await createUser(t(), acc.accountId, 'agent');
    const teamId = await createTeam(t(), acc.accountId);
    for (let i = 0; i < 2; i++) {
      const res = await req('PUT', `/teams/${teamId}/members/${agent.userId}`, supervisor.headers);
      expect(res.statusCode).toBe(200);
      expect(res.json().data.memberIds).toEqual([agent.userId]);
    }
    expect((await req('GET', '/me', agent.headers)).json().data.teamIds).toEqual([teamId]);
    expect(await eventsOf(t(), acc.accountId, 'team.member_added')).toHaveLength(1);
    for (let i = 0; i < 2; i++) {
      const res = await req('DELETE', `/teams/${teamId}/members/${agent.userId}`, supervisor.headers);
      expect(res.statusCode).toBe(200);
      expect(res.json().data.memberIds).toEqual([]);
    }
    expect(await eventsOf(t(), acc.accountId, 'team.member_removed')).toHaveLength(1);
    expect(await memberIds(teamId)).toEqual([]);
  });

  it('answers 403 to an agent, changing nothing', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const teamId = await createTeam(t(), acc.accountId);
    expect((await req('PUT', `/teams/${teamId}/members/${agent.userId}`, agent.headers)).statusCode).toBe(403);
    expect(await memberIds(teamId)).toEqual([]);
  });

  it('rejects malformed ids with 422', async () => {
    const acc = await createAccount(t());
    const teamId = await createTeam(t(), acc.accountId);
    expect((await req('PUT', `/teams/${teamId}/members/not-a-uuid`, acc.owner.headers)).statusCode).toBe(422);
    expect(await memberIds(teamId)).toEqual([]);
  });
});
