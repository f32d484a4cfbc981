import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { invitations, memberships, users } from '../../../db/schema';
import { withSystem } from '../../../db/tenant';
import { hashToken } from '../../../platform/http/tokens';
import { createAccount, createTeam, createUser } from '../../../../test/factories';
import { useTestApp } from '../../../../test/harness';
import { eventsOf, freshIp, login, PASSWORD, sessionCookie, signUpViaApi, uniqueEmail } from '../test-support';

const t = useTestApp();

const invite = (headers: Record<string, string>, payload: object) =>
  t().app.inject({ method: 'POST', url: '/api/v1/invitations', headers, payload });
const accept = (payload: object) =>
  t().app.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload, remoteAddress: freshIp() });
const invitationCount = (accountId: string) =>
  withSystem(
    t().database.db,
    async (tx) => (await tx.select({ n: count() }).from(invitations).where(eq(invitations.accountId, accountId)))[0]!.n,
  );

describe('POST /invitations', () => {
  it('answers 401 without credentials', async () => {
    expect((await invite({}, { email: uniqueEmail(), role: 'agent' })).statusCode).toBe(401);
  });

  it('creates a 7-day invitation, stores only the token hash, and shows the token once', async () => {
    const acc = await createAccount(t());
    const teamId = await createTeam(t(), acc.accountId);
    const email = uniqueEmail('New.Agent');
    const res = await invite(acc.owner.headers, { email: email.toUpperCase(), role: 'agent', teamIds: [teamId] });
    expect(res.statusCode).toBe(201);
    const { invitation, token, acceptUrl } = res.json().data;
    expect(invitation).toMatchObject({
      email: email.toLowerCase(),
      role: 'agent',
      teamIds: [teamId],
      status: 'pending',
      invitedById: acc.owner.userId,
    });
    expect(acceptUrl).toBe(`/invite/${token}`);
    const days = (Date.parse(invitation.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    const [row] = await withSystem(t().database.db, (tx) => tx.select().from(invitations).where(eq(invitations.id, invitation.id)));
    expect(row!.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const [event] = await eventsOf(t(), acc.accountId, 'user.invited');
    expect(event!.payload).toMatchObject({ invitation: { id: invitation.id } });
    expect(JSON.stringify(event!.payload)).not.toContain(token);
    // Listing never shows the token either.
    const list = await t().app.inject({ url: '/api/v1/invitations', headers: acc.owner.headers });
    expect(list.json().data.map((i: { id: string }) => i.id)).toEqual([invitation.id]);
    expect(list.body).not.toContain(token);
  });

  it('answers 409 for a member or a pending invitation, creating nothing', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const email = uniqueEmail();
    expect((await invite(acc.owner.headers, { email, role: 'agent' })).statusCode).toBe(201);
    const before = await invitationCount(acc.accountId);
    const member = await invite(acc.owner.headers, { email: agent.email.toUpperCase(), role: 'agent' });
    expect(member.statusCode).toBe(409);
    expect(member.json().userId).toBe(agent.userId);
    expect((await invite(acc.owner.headers, { email, role: 'analyst' })).statusCode).toBe(409);
    expect(await invitationCount(acc.accountId)).toBe(before);
  });

  it('answers 403 to a supervisor, and to an admin inviting an owner', async () => {
    const acc = await createAccount(t());
    const supervisor = await createUser(t(), acc.accountId, 'supervisor');
    const admin = await createUser(t(), acc.accountId, 'admin');
    expect((await invite(supervisor.headers, { email: uniqueEmail(), role: 'agent' })).statusCode).toBe(403);
    expect((await invite(admin.headers, { email: uniqueEmail(), role: 'owner' })).statusCode).toBe(403);
    expect((await invite(admin.headers, { email: uniqueEmail(), role: 'admin' })).statusCode).toBe(201);
    expect(await invitationCount(acc.accountId)).toBe(1);
  });

  it.each([
    ['an invalid email', { email: 'nope', role: 'agent' }],
    ['an unknown role', { email: 'a@b.test', role: 'god' }],
    ['a non-uuid team', { email: 'a@b.test', role: 'agent', teamIds: ['x'] }],
  ])('rejects %s with 422, creating nothing', async (_label, body) => {
    const acc = await createAccount(t());
    const res = await invite(acc.owner.headers, body);
    expect(res.statusCode).toBe(422);
    expect(await invitationCount(acc.accountId)).toBe(0);
  });

  it('rejects another account\u2019s team with 422, creating nothing', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const foreignTeam = await createTeam(t(), other.accountId);
    const res = await invite(acc.owner.headers, { email: uniqueEmail(), role: 'agent', teamIds: [foreignTeam] });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].path).toBe('body.teamIds');
    expect(await invitationCount(acc.accountId)).toBe(0);
  });
});

describe('GET /invitations and DELETE /invitations/:id', () => {
  it('answer 401 without credentials and 403 to agents', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    expect((await t().app.inject({ url: '/api/v1/invitations' })).statusCode).toBe(401);
    expect((await t().app.inject({ url: '/api/v1/invitations', headers: agent.headers })).statusCode).toBe(403);
    const { invitation } = (await invite(acc.owner.headers, { email: uniqueEmail(), role: 'agent' })).json().data;
    expect((await t().app.inject({ method: 'DELETE', url: `/api/v1/invitations/${invitation.id}` })).statusCode).toBe(401);
    expect(
      (await t().app.inject({ method: 'DELETE', url: `/api/v1/invitations/${invitation.id}`, headers: agent.headers })).statusCode,
    ).toBe(403);
  });

  it('revokes (idempotently); another account gets 404; the token then stops working', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const { invitation, token } = (await invite(acc.owner.headers, { email: uniqueEmail(), role: 'agent' })).json().data;
    expect(
      (await t().app.inject({ method: 'DELETE', url: `/api/v1/invitations/${invitation.id}`, headers: other.owner.headers })).statusCode,
    ).toBe(404);
    for (let i = 0; i < 2; i++) {
      expect(
        (await t().app.inject({ method: 'DELETE', url: `/api/v1/invitations/${invitation.id}`, headers: acc.owner.headers })).statusCode,
      ).toBe(204);
    }
    const list = (await t().app.inject({ url: '/api/v1/invitations', headers: acc.owner.headers })).json();
    expect(list.data[0]).toMatchObject({ id: invitation.id, status: 'revoked' });
    expect((await t().app.inject({ url: '/api/v1/invitations', headers: other.owner.headers })).json().data).toEqual([]);
    const res = await accept({ token, name: 'Late Larry', password: PASSWORD });
    expect(res.statusCode).toBe(409);
    expect(res.json().invitationStatus).toBe('revoked');
  });
});

describe('POST /invitations/accept', () => {
  it('creates the person, membership and teams, emits user.joined and logs in', async () => {
    const acc = await createAccount(t());
    const teamId = await createTeam(t(), acc.accountId);
    const email = uniqueEmail();
    const { token, invitation } = (await invite(acc.owner.headers, { email, role: 'supervisor', teamIds: [teamId] })).json().data;
    const res = await accept({ token, name: 'Sam Supervisor', password: PASSWORD });
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toMatchObject({ role: 'supervisor', user: { name: 'Sam Supervisor', email }, account: { id: acc.accountId } });
    const me = (await t().app.inject({ url: '/api/v1/me', headers: sessionCookie(res) })).json().data;
    expect(me).toMatchObject({ role: 'supervisor', teamIds: [teamId] });
    const [joined] = await eventsOf(t(), acc.accountId, 'user.joined');
    expect(joined!.payload).toMatchObject({ invitationId: invitation.id, user: { email, role: 'supervisor' } });
    expect((await login(t(), { email, password: PASSWORD })).statusCode).toBe(200);
    // A token works once.
    const again = await accept({ token, name: 'Sam Again', password: PASSWORD });
    expect(again.statusCode).toBe(409);
    expect(again.json().invitationStatus).toBe('accepted');
  });

  it('attaches an existing person only with their current password', async () => {
    const existing = await signUpViaApi(t());
    const acc = await createAccount(t());
    const { token } = (await invite(acc.owner.headers, { email: existing.payload.email, role: 'agent' })).json().data;
    const wrong = await accept({ token, password: 'not their password' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('invalid_credentials');
    const userId = existing.res.json().data.user.id;
    const countMemberships = () =>
      withSystem(
        t().database.db,
        async (tx) => (await tx.select({ n: count() }).from(memberships).where(eq(memberships.userId, userId)))[0]!.n,
      );
    expect(await countMemberships()).toBe(1);
    const ok = await accept({ token, password: PASSWORD });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().data).toMatchObject({ user: { id: userId }, account: { id: acc.accountId }, role: 'agent' });
    expect(await countMemberships()).toBe(2);
    // The new session is bound to the inviting account.
    expect((await t().app.inject({ url: '/api/v1/me', headers: sessionCookie(ok) })).json().data.account.id).toBe(acc.accountId);
  });

  it('refuses an expired invitation and an unknown token', async () => {
    const acc = await createAccount(t());
    const { token, invitation } = (await invite(acc.owner.headers, { email: uniqueEmail(), role: 'agent' })).json().data;
    await withSystem(t().database.db, (tx) =>
      tx
        .update(invitations)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(invitations.id, invitation.id)),
    );
    const expired = await accept({ token, name: 'Ed', password: PASSWORD });
    expect(expired.statusCode).toBe(409);
    expect(expired.json().invitationStatus).toBe('expired');
    const unknown = await accept({ token: 'x'.repeat(43), name: 'Ed', password: PASSWORD });
    expect(unknown.statusCode).toBe(404);
  });

  it.each([
    ['a missing name', { name: undefined, password: PASSWORD }, 'body.name'],
    ['a short password', { name: 'Nora', password: 'short' }, 'body.password'],
  ])('rejects %s for a new person with 422, changing nothing', async (_label, body, path) => {
    const acc = await createAccount(t());
    const email = uniqueEmail();
    const { token, invitation } = (await invite(acc.owner.headers, { email, role: 'agent' })).json().data;
    const res = await accept({ token, ...body });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].path).toBe(path);
    const [row] = await withSystem(t().database.db, (tx) => tx.select().from(invitations).where(eq(invitations.id, invitation.id)));
    expect(row!.acceptedAt).toBeNull();
    expect(await withSystem(t().database.db, (tx) => tx.select().from(users).where(eq(users.email, email)))).toEqual([]);
  });

  it('rejects a body without a token with 422', async () => {
    expect((await accept({ name: 'X', password: PASSWORD })).statusCode).toBe(422);
  });
});
