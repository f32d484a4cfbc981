import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { apiKeys } from '../../../db/schema';
import { withSystem } from '../../../db/tenant';
import { hashToken } from '../../../platform/http/tokens';
import { createAccount, createApiKeyHeaders, createUser } from '../../../../test/factories';
import { useTestApp } from '../../../../test/harness';
import { parseApiKey } from '../authenticator';
import { eventsOf } from '../test-support';

const t = useTestApp();

const create = (headers: Record<string, string>, payload: object) =>
  t().app.inject({ method: 'POST', url: '/api/v1/api-keys', headers, payload });
const revoke = (headers: Record<string, string>, id: string) =>
  t().app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${id}`, headers });
const keyCount = (accountId: string) =>
  withSystem(t().database.db, async (tx) => (await tx.select({ n: count() }).from(apiKeys).where(eq(apiKeys.accountId, accountId)))[0]!.n);
const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

describe('POST /api-keys', () => {
  it('answers 401 without credentials', async () => {
    expect((await create({}, { name: 'ci', role: 'agent' })).statusCode).toBe(401);
  });

  it('returns tp_<prefix>_<secret> once, stores its hash, and the key acts with its role', async () => {
    const acc = await createAccount(t());
    const res = await create(acc.owner.headers, { name: 'CI', role: 'agent' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const key = res.json().data;
    expect(key).toMatchObject({ name: 'CI', role: 'agent', createdById: acc.owner.userId, revokedAt: null, expiresAt: null });
    expect(key.secret).toMatch(/^tp_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    const parsed = parseApiKey(key.secret)!;
    expect(parsed.prefix).toBe(key.prefix);
    const [row] = await withSystem(t().database.db, (tx) => tx.select().from(apiKeys).where(eq(apiKeys.id, key.id)));
    expect(row!.secretHash).toBe(hashToken(parsed.secret));
    expect(JSON.stringify(row)).not.toContain(parsed.secret);
    const [event] = await eventsOf(t(), acc.accountId, 'api_key.created');
    expect(JSON.stringify(event!.payload)).not.toContain(parsed.secret);

    const me = await t().app.inject({ url: '/api/v1/me', headers: bearer(key.secret) });
    expect(me.statusCode).toBe(200);
    expect(me.json().data).toMatchObject({ role: 'agent', user: null, account: { id: acc.accountId } });
    // An agent key may not manage keys.
    expect((await create(bearer(key.secret), { name: 'escalate', role: 'agent' })).statusCode).toBe(403);
  });

  it('refuses a role above the creator\u2019s (403), and non-admins altogether', async () => {
    const acc = await createAccount(t());
    const admin = await createUser(t(), acc.accountId, 'admin');
    const supervisor = await createUser(t(), acc.accountId, 'supervisor');
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    expect((await create(admin.headers, { name: 'too strong', role: 'owner' })).statusCode).toBe(403);
    expect((await create(supervisor.headers, { name: 'nope', role: 'agent' })).statusCode).toBe(403);
    expect((await create(analyst.headers, { name: 'nope', role: 'analyst' })).statusCode).toBe(403);
    const adminKey = await createApiKeyHeaders(t(), acc.accountId, 'admin');
    expect((await create(adminKey, { name: 'too strong', role: 'owner' })).statusCode).toBe(403);
    expect(await keyCount(acc.accountId)).toBe(1); // only the factory's
    expect((await create(admin.headers, { name: 'ok', role: 'admin' })).statusCode).toBe(201);
  });

  it.each([
    ['an unknown role', { name: 'x', role: 'root' }],
    ['a missing name', { role: 'agent' }],
    ['a malformed expiry', { name: 'x', role: 'agent', expiresAt: 'tomorrow' }],
    ['a past expiry', { name: 'x', role: 'agent', expiresAt: '2001-01-01T00:00:00Z' }],
  ])('rejects %s with 422, creating nothing', async (_label, body) => {
    const acc = await createAccount(t());
    const res = await create(acc.owner.headers, body);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('validation_failed');
    expect(await keyCount(acc.accountId)).toBe(0);
  });

  it('stops an expired key from authenticating', async () => {
    const acc = await createAccount(t());
    const key = (
      await create(acc.owner.headers, { name: 'short-lived', role: 'agent', expiresAt: new Date(Date.now() + 60_000).toISOString() })
    ).json().data;
    expect(key.expiresAt).not.toBeNull();
    await withSystem(t().database.db, (tx) =>
      tx
        .update(apiKeys)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(apiKeys.id, key.id)),
    );
    expect((await t().app.inject({ url: '/api/v1/me', headers: bearer(key.secret) })).statusCode).toBe(401);
  });
});

describe('GET /api-keys', () => {
  it('answers 401 without credentials and 403 to a supervisor', async () => {
    const acc = await createAccount(t());
    const supervisor = await createUser(t(), acc.accountId, 'supervisor');
    expect((await t().app.inject({ url: '/api/v1/api-keys' })).statusCode).toBe(401);
    expect((await t().app.inject({ url: '/api/v1/api-keys', headers: supervisor.headers })).statusCode).toBe(403);
  });

  it('lists only this account\u2019s keys, newest first, without secrets', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const a = (await create(acc.owner.headers, { name: 'first', role: 'agent' })).json().data;
    const b = (await create(acc.owner.headers, { name: 'second', role: 'analyst' })).json().data;
    await create(other.owner.headers, { name: 'theirs', role: 'agent' });
    const res = await t().app.inject({ url: '/api/v1/api-keys?limit=1', headers: acc.owner.headers });
    const p1 = res.json();
    expect(p1.data.map((k: { id: string }) => k.id)).toEqual([b.id]);
    const p2 = (await t().app.inject({ url: `/api/v1/api-keys?limit=1&cursor=${p1.page.nextCursor}`, headers: acc.owner.headers })).json();
    expect(p2.data.map((k: { id: string }) => k.id)).toEqual([a.id]);
    expect(p2.page.nextCursor).toBeNull();
    for (const body of [res.body, JSON.stringify(p2)]) {
      expect(body).not.toContain('secret');
      expect(body).not.toContain(a.secret.split('_').slice(2).join('_'));
    }
  });
});

describe('DELETE /api-keys/:id', () => {
  it('revokes the key: it gets 401 at once, and revoking again is a no-op', async () => {
    const acc = await createAccount(t());
    const key = (await create(acc.owner.headers, { name: 'ci', role: 'admin' })).json().data;
    expect((await t().app.inject({ url: '/api/v1/me', headers: bearer(key.secret) })).statusCode).toBe(200); // cached now
    expect((await revoke(acc.owner.headers, key.id)).statusCode).toBe(204);
    const denied = await t().app.inject({ url: '/api/v1/me', headers: bearer(key.secret) });
    expect(denied.statusCode).toBe(401);
    expect(denied.json().code).toBe('unauthenticated');
    expect((await revoke(acc.owner.headers, key.id)).statusCode).toBe(204);
    expect(await eventsOf(t(), acc.accountId, 'api_key.revoked')).toHaveLength(1);
    const listed = (await t().app.inject({ url: '/api/v1/api-keys', headers: acc.owner.headers })).json().data[0];
    expect(listed.revokedAt).not.toBeNull();
  });

  it('answers 401 without credentials, 404 for another account\u2019s key and 403 below the key\u2019s role', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const theirs = (await create(other.owner.headers, { name: 'theirs', role: 'agent' })).json().data;
    const ownerKey = (await create(acc.owner.headers, { name: 'owner key', role: 'owner' })).json().data;
    const admin = await createUser(t(), acc.accountId, 'admin');
    const agent = await createUser(t(), acc.accountId, 'agent');
    expect((await revoke({}, theirs.id)).statusCode).toBe(401);
    expect((await revoke(acc.owner.headers, theirs.id)).statusCode).toBe(404);
    expect((await revoke(admin.headers, ownerKey.id)).statusCode).toBe(403);
    expect((await revoke(agent.headers, ownerKey.id)).statusCode).toBe(403);
    expect((await revoke(acc.owner.headers, 'nope')).statusCode).toBe(422);
    for (const secret of [theirs.secret, ownerKey.secret]) {
      expect((await t().app.inject({ url: '/api/v1/me', headers: bearer(secret) })).statusCode).toBe(200);
    }
  });
});
