import { CHANNEL_KINDS } from '@touchpoint/shared';
import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { channels, CHANNEL_KINDS as DB_CHANNEL_KINDS } from '../../db/schema';
import { withSystem, withTenant } from '../../db/tenant';
import { createAccount, createApiKeyHeaders, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { findDefaultChannel } from './index';

const t = useTestApp();

const post = (headers: Record<string, string>, payload: object) =>
  t().app.inject({ method: 'POST', url: '/api/v1/channels', headers, payload });
const channelCount = (accountId: string) =>
  withSystem(
    t().database.db,
    async (tx) => (await tx.select({ n: count() }).from(channels).where(eq(channels.accountId, accountId)))[0]!.n,
  );

describe('GET /channels', () => {
  it('answers 401 without credentials and 403 to an analyst', async () => {
    const acc = await createAccount(t());
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    expect((await t().app.inject({ url: '/api/v1/channels' })).statusCode).toBe(401);
    const res = await t().app.inject({ url: '/api/v1/channels', headers: analyst.headers });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('forbidden');
  });

  it('lists only the account\u2019s own channels to an agent', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const res = await t().app.inject({ url: '/api/v1/channels', headers: agent.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      data: [{ id: acc.apiChannelId, kind: 'api', name: 'API', active: true, config: {} }],
      page: { nextCursor: null, limit: 25 },
    });
    expect(res.body).not.toContain(other.apiChannelId);
  });
});

describe('POST /channels', () => {
  it('lets an admin add a channel', async () => {
    const acc = await createAccount(t());
    const admin = await createUser(t(), acc.accountId, 'admin');
    const res = await post(admin.headers, { kind: 'email', name: 'Support inbox', config: { address: 'help@example.test' } });
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toMatchObject({ kind: 'email', name: 'Support inbox', config: { address: 'help@example.test' }, active: true });
    expect(await channelCount(acc.accountId)).toBe(2);
  });

  it('answers 401 without credentials and 403 to a supervisor or supervisor key, creating nothing', async () => {
    const acc = await createAccount(t());
    const supervisor = await createUser(t(), acc.accountId, 'supervisor');
    expect((await post({}, { kind: 'web', name: 'Chat' })).statusCode).toBe(401);
    expect((await post(supervisor.headers, { kind: 'web', name: 'Chat' })).statusCode).toBe(403);
    expect((await post(await createApiKeyHeaders(t(), acc.accountId, 'supervisor'), { kind: 'web', name: 'Chat' })).statusCode).toBe(403);
    expect(await channelCount(acc.accountId)).toBe(1);
  });

  it.each([
    ['an unknown kind', { kind: 'pigeon', name: 'Coo' }],
    ['a missing name', { kind: 'web' }],
    ['a config that is not an object', { kind: 'web', name: 'Chat', config: 'x' }],
    ['an oversized config', { kind: 'web', name: 'Chat', config: { blob: 'x'.repeat(20_000) } }],
  ])('rejects %s with 422, creating nothing', async (_label, body) => {
    const acc = await createAccount(t());
    const res = await post(acc.owner.headers, body);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('validation_failed');
    expect(await channelCount(acc.accountId)).toBe(1);
  });
});

describe('findDefaultChannel', () => {
  it('finds the oldest active channel of a kind in the account, or null', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    await post(acc.owner.headers, { kind: 'api', name: 'API 2' });
    const found = await withTenant(t().database.db, acc.accountId, (tx) => findDefaultChannel(tx, acc.accountId, 'api'));
    expect(found?.id).toBe(acc.apiChannelId);
    expect(await withTenant(t().database.db, acc.accountId, (tx) => findDefaultChannel(tx, acc.accountId, 'voice'))).toBeNull();
    expect(await withTenant(t().database.db, acc.accountId, (tx) => findDefaultChannel(tx, other.accountId, 'api'))).toBeNull();
  });

  it('uses the same channel kinds as the database check constraint', () => {
    expect([...CHANNEL_KINDS]).toEqual([...DB_CHANNEL_KINDS]);
  });
});
