import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { accounts, channels, loginAttempts, memberships, sessions, users } from '../../../db/schema';
import { withSystem } from '../../../db/tenant';
import { hashToken } from '../../../platform/http/tokens';
import { createAccount } from '../../../../test/factories';
import { useTestApp } from '../../../../test/harness';
import { eventsOf, freshIp, login, PASSWORD, sessionCookie, signUpViaApi, uniqueEmail } from '../test-support';

const t = useTestApp({ config: { LOGIN_MAX_ATTEMPTS: '3', LOGIN_LOCKOUT_MINUTES: '10', SESSION_TTL_HOURS: '12' } });

const totals = () =>
  withSystem(t().database.db, async (tx) => ({
    accounts: (await tx.select({ n: count() }).from(accounts))[0]!.n,
    users: (await tx.select({ n: count() }).from(users))[0]!.n,
  }));

describe('POST /auth/signup', () => {
  it('creates the account, its owner and default channels, emits account.created and logs in', async () => {
    const { res, payload, headers } = await signUpViaApi(t(), { accountName: 'Café Crème', email: uniqueEmail('Mixed').toUpperCase() });
    expect(res.statusCode).toBe(201);
    const { data } = res.json();
    expect(data.role).toBe('owner');
    expect(data.account).toMatchObject({ name: 'Café Crème', timeZone: 'UTC' });
    expect(data.account.slug).toMatch(/^cafe-creme(-\d+)?$/);
    expect(data.user).toMatchObject({ name: payload.name, email: payload.email.toLowerCase() });

    const cookie = res.cookies.find((c) => c.name === 'tp_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 12 * 3600 });
    expect(cookie.secure).toBeFalsy(); // COOKIE_SECURE=auto outside production
    expect(res.headers['cache-control']).toBe('no-store');
    // Only the hash of the token is stored.
    const [row] = await withSystem(t().database.db, (tx) =>
      tx
        .select()
        .from(sessions)
        .where(eq(sessions.tokenHash, hashToken(cookie.value))),
    );
    expect(row?.userId).toBe(data.user.id);

    const me = await t().app.inject({ url: '/api/v1/me', headers });
    expect(me.statusCode).toBe(200);
    expect(me.json().data.account.id).toBe(data.account.id);

    const chans = await withSystem(t().database.db, (tx) => tx.select().from(channels).where(eq(channels.accountId, data.account.id)));
    expect(chans.map((c) => [c.kind, c.name]).sort()).toEqual([
      ['api', 'API'],
      ['web', 'Web chat'],
    ]);
    const created = await eventsOf(t(), data.account.id, 'account.created');
    expect(created).toHaveLength(1);
    expect(created[0]!.actorId).toBe(data.user.id);
  });

  it('suffixes the slug when the name is taken', async () => {
    const name = `Twin Shop ${Date.now()}`;
    const first = (await signUpViaApi(t(), { accountName: name })).res.json().data.account.slug;
    const second = (await signUpViaApi(t(), { accountName: name })).res.json().data.account.slug;
    expect(second).toBe(`${first}-2`);
  });

  it('answers 409 for an email that is already registered, creating nothing', async () => {
    const email = uniqueEmail();
    expect((await signUpViaApi(t(), { email })).res.statusCode).toBe(201);
    const before = await totals();
    const { res } = await signUpViaApi(t(), { email: email.toUpperCase() });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('conflict');
    expect(await totals()).toEqual(before);
  });

  it.each([
    ['a short password', { password: 'short' }],
    ['an invalid email', { email: 'not-an-email' }],
    ['an empty account name', { accountName: '   ' }],
    ['an oversized name', { name: 'x'.repeat(500) }],
  ])('rejects %s with 422 and changes nothing', async (_label, body) => {
    const before = await totals();
    const { res } = await signUpViaApi(t(), body);
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('validation_failed');
    expect(res.cookies).toHaveLength(0);
    expect(await totals()).toEqual(before);
  });

  it('rejects malformed JSON with 400 and changes nothing', async () => {
    const before = await totals();
    const res = await t().app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      headers: { 'content-type': 'application/json' },
      payload: '{"accountName": "x",',
      remoteAddress: freshIp(),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('bad_request');
    expect(await totals()).toEqual(before);
  });
});

describe('POST /auth/login', () => {
  it('logs in with the right password (any email case) and resets the failure counter', async () => {
    const { payload } = await signUpViaApi(t());
    expect((await login(t(), { email: payload.email, password: 'wrong password!' })).statusCode).toBe(401);
    const res = await login(t(), { email: `  ${payload.email.toUpperCase()} `, password: PASSWORD });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ role: 'owner', user: { email: payload.email } });
    const me = await t().app.inject({ url: '/api/v1/me', headers: sessionCookie(res) });
    expect(me.json().data.user.email).toBe(payload.email);
    const [u] = await withSystem(t().database.db, (tx) => tx.select().from(users).where(eq(users.email, payload.email)));
    expect(u!.failedLoginCount).toBe(0);
    expect(u!.lastLoginAt).not.toBeNull();
  });

  it('answers the same invalid_credentials for a wrong password and an unknown email', async () => {
    const { payload } = await signUpViaApi(t());
    const wrong = await login(t(), { email: payload.email, password: 'not the password' });
    const unknown = await login(t(), { email: uniqueEmail('nobody'), password: 'not the password' });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'invalid_credentials', detail: 'The email or password is not correct' });
      expect(res.cookies).toHaveLength(0);
    }
  });

  it('locks the person out after LOGIN_MAX_ATTEMPTS consecutive failures, even with the right password', async () => {
    const { payload } = await signUpViaApi(t());
    expect((await login(t(), { email: payload.email, password: 'guess number 1' })).statusCode).toBe(401);
    expect((await login(t(), { email: payload.email, password: 'guess number 2' })).statusCode).toBe(401);
    const third = await login(t(), { email: payload.email, password: 'guess number 3' });
    expect(third.statusCode).toBe(423);
    const locked = await login(t(), { email: payload.email, password: PASSWORD });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().code).toBe('account_locked');
    expect(locked.json().retryAfterSeconds).toBeGreaterThan(9 * 60);
    expect(locked.json().retryAfterSeconds).toBeLessThanOrEqual(10 * 60);
    expect(locked.cookies).toHaveLength(0);

    // Once the lock has passed, the right password works again.
    await withSystem(t().database.db, (tx) =>
      tx
        .update(loginAttempts)
        .set({ lockedUntil: new Date(Date.now() - 1000) })
        .where(eq(loginAttempts.email, payload.email)),
    );
    expect((await login(t(), { email: payload.email, password: PASSWORD })).statusCode).toBe(200);
  });

  it('answers a registered and an unknown email with the same sequence of statuses and codes', async () => {
    const { payload } = await signUpViaApi(t());
    const sequence = async (email: string) => {
      const out: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await login(t(), { email, password: `guess number ${i}` });
        out.push(`${res.statusCode} ${res.json().code}`);
      }
      return out;
    };
    const registered = await sequence(payload.email);
    const unknown = await sequence(uniqueEmail('nobody'));
    expect(registered).toEqual([
      '401 invalid_credentials',
      '401 invalid_credentials',
      '423 account_locked',
      '423 account_locked',
      '423 account_locked',
    ]);
    expect(unknown).toEqual(registered);
    // The address is normalised before it is counted: case and spaces do not buy more guesses.
    const other = uniqueEmail('nobody');
    await sequence(other);
    expect((await login(t(), { email: ` ${other.toUpperCase()}`, password: 'again' })).statusCode).toBe(423);
  });

  it('refuses a deactivated member', async () => {
    const { payload, res } = await signUpViaApi(t());
    await withSystem(t().database.db, (tx) =>
      tx.update(memberships).set({ active: false }).where(eq(memberships.userId, res.json().data.user.id)),
    );
    const denied = await login(t(), { email: payload.email, password: PASSWORD });
    expect(denied.statusCode).toBe(401);
    expect(denied.json().code).toBe('invalid_credentials');
  });

  it('rejects a body without a password with 422', async () => {
    const res = await t().app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'a@b.test' },
      remoteAddress: freshIp(),
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].path).toBe('body.password');
  });
});

describe('POST /auth/logout', () => {
  it('answers 401 without a session', async () => {
    const res = await t().app.inject({ method: 'POST', url: '/api/v1/auth/logout' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('unauthenticated');
  });

  it('revokes the session row, clears the cookie, and the token stops working at once', async () => {
    const { headers } = await signUpViaApi(t());
    expect((await t().app.inject({ url: '/api/v1/me', headers })).statusCode).toBe(200); // now cached
    const res = await t().app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers });
    expect(res.statusCode).toBe(204);
    const cleared = res.cookies.find((c) => c.name === 'tp_session')!;
    expect(cleared.value).toBe('');
    const token = headers.cookie.split('=')[1]!;
    const [row] = await withSystem(t().database.db, (tx) =>
      tx
        .select()
        .from(sessions)
        .where(eq(sessions.tokenHash, hashToken(token))),
    );
    expect(row!.revokedAt).not.toBeNull();
    expect((await t().app.inject({ url: '/api/v1/me', headers })).statusCode).toBe(401);
  });

  it("only revokes the caller's own session", async () => {
    const acc = await createAccount(t());
    const other = await signUpViaApi(t());
    expect((await t().app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: other.headers })).statusCode).toBe(204);
    expect((await t().app.inject({ url: '/api/v1/me', headers: acc.owner.headers })).statusCode).toBe(200);
  });
});

describe('GET /auth/options', () => {
  it('tells the login page, without credentials, that visitors may sign up (SIGNUP=on, the default)', async () => {
    const res = await t().app.inject({ url: '/api/v1/auth/options' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ data: { signup: true } });
  });
});
