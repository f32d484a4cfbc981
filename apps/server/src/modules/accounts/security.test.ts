import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { describe, expect, it } from 'vitest';
import { conversations, customers, teams } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import { createAccount, createApiKeyHeaders, createTeam, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { freshIp, login, PASSWORD, signUpViaApi } from './test-support';

const t = useTestApp();

const SQLI = `Robert'); DROP TABLE accounts; --`;
const XSS = `<script>alert("pwned")</script>`;

describe('hostile text is data', () => {
  it('stores SQL-injection strings in names and emails verbatim', async () => {
    const email = `robert'--${Date.now()}@example.test`;
    const { res, headers } = await signUpViaApi(t(), { accountName: SQLI, name: `' OR '1'='1`, email });
    expect(res.statusCode).toBe(201);
    const me = (await t().app.inject({ url: '/api/v1/me', headers })).json().data;
    expect(me.account.name).toBe(SQLI);
    expect(me.user).toMatchObject({ name: `' OR '1'='1`, email });
    expect((await login(t(), { email, password: PASSWORD })).statusCode).toBe(200);
    expect((await login(t(), { email: `' OR '1'='1' --`, password: `' OR '1'='1` })).json().code).toBe('invalid_credentials');

    const team = await t().app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers,
      payload: { name: SQLI, description: `1; DELETE FROM teams` },
    });
    expect(team.statusCode).toBe(201);
    expect(team.json().data).toMatchObject({ name: SQLI, description: '1; DELETE FROM teams' });
    const inv = await t().app.inject({
      method: 'POST',
      url: '/api/v1/invitations',
      headers,
      payload: { email: `o'brien'--@example.test`, role: 'agent' },
    });
    expect(inv.json().data.invitation.email).toBe(`o'brien'--@example.test`);
    const tables = await withSystem(t().database.db, (tx) => tx.execute(sql`select count(*)::int as n from accounts`));
    expect(tables.rows[0]!.n).toBeGreaterThan(0);
  });

  it('returns <script> in account and team names as JSON text, never as HTML', async () => {
    const { res, headers } = await signUpViaApi(t(), { accountName: XSS, name: XSS });
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json().data.account.name).toBe(XSS);
    const team = await t().app.inject({ method: 'POST', url: '/api/v1/teams', headers, payload: { name: XSS } });
    const list = await t().app.inject({ url: '/api/v1/teams', headers });
    expect(list.headers['content-type']).toContain('application/json');
    expect(list.json().data[0].name).toBe(XSS);
    expect(team.json().data.name).toBe(XSS);
    const users = await t().app.inject({ url: '/api/v1/users', headers });
    expect(users.json().data[0].name).toBe(XSS);
  });
});

describe('tenant isolation through the API', () => {
  it('a session of account A never reads or changes B\u2019s users, teams, keys or invitations', async () => {
    const a = await createAccount(t());
    const b = await createAccount(t());
    const bTeam = await createTeam(t(), b.accountId, 'B team');
    const bAgent = await createUser(t(), b.accountId, 'agent', { teamIds: [bTeam] });
    await createApiKeyHeaders(t(), b.accountId, 'admin');
    const bInvite = (
      await t().app.inject({
        method: 'POST',
        url: '/api/v1/invitations',
        headers: b.owner.headers,
        payload: { email: `x${Date.now()}@example.test`, role: 'agent' },
      })
    ).json().data.invitation;
    const bKey = (await t().app.inject({ url: '/api/v1/api-keys', headers: b.owner.headers })).json().data[0];

    const as = (method: 'GET' | 'PATCH' | 'DELETE' | 'PUT', url: string, payload?: object) =>
      t().app.inject({ method, url: `/api/v1${url}`, headers: a.owner.headers, payload });
    for (const [method, url, payload] of [
      ['GET', `/users/${bAgent.userId}`],
      ['PATCH', `/users/${bAgent.userId}`, { role: 'analyst' }],
      ['GET', `/teams/${bTeam}`],
      ['PATCH', `/teams/${bTeam}`, { name: 'stolen' }],
      ['DELETE', `/teams/${bTeam}`],
      ['DELETE', `/teams/${bTeam}/members/${bAgent.userId}`],
      ['DELETE', `/api-keys/${bKey.id}`],
      ['DELETE', `/invitations/${bInvite.id}`],
    ] as const) {
      const res = await as(method, url, payload);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    for (const url of ['/users', '/teams', '/api-keys', '/invitations', '/channels']) {
      const body = (await as('GET', url)).body;
      for (const id of [b.owner.userId, bAgent.userId, bTeam, bKey.id, bInvite.id, b.apiChannelId]) expect(body, url).not.toContain(id);
    }
    const bView = (await t().app.inject({ url: `/api/v1/teams/${bTeam}`, headers: b.owner.headers })).json().data;
    expect(bView).toMatchObject({ name: 'B team', memberIds: [bAgent.userId] });
  });

  it('an API key of account A is a stranger to B', async () => {
    const a = await createAccount(t());
    const b = await createAccount(t());
    const key = await createApiKeyHeaders(t(), a.accountId, 'owner');
    expect((await t().app.inject({ url: `/api/v1/users/${b.owner.userId}`, headers: key })).statusCode).toBe(404);
  });
});

describe('deleting a team that conversations point at', () => {
  it('answers 409 and keeps the team', async () => {
    const acc = await createAccount(t());
    const teamId = await createTeam(t(), acc.accountId, 'Busy');
    await withSystem(t().database.db, async (tx) => {
      const customerId = uuidv7();
      await tx.insert(customers).values({ id: customerId, accountId: acc.accountId, name: 'Cora' });
      await tx.insert(conversations).values({ accountId: acc.accountId, number: 1, customerId, channelId: acc.apiChannelId, teamId });
    });
    const res = await t().app.inject({
      method: 'DELETE',
      url: `/api/v1/teams/${teamId}`,
      headers: acc.owner.headers,
      remoteAddress: freshIp(),
    });
    expect(res.statusCode).toBe(409);
    const left = await withSystem(t().database.db, (tx) =>
      tx
        .select()
        .from(teams)
        .where(sql`${teams.id} = ${teamId}`),
    );
    expect(left).toHaveLength(1);
  });
});
