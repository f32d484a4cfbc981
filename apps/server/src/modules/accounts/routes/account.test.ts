import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { accounts } from '../../../db/schema';
import { withSystem } from '../../../db/tenant';
import { createAccount, createApiKeyHeaders, createUser } from '../../../../test/factories';
import { useTestApp } from '../../../../test/harness';

const t = useTestApp();

const getAccount = (headers: Record<string, string>) => t().app.inject({ url: '/api/v1/account', headers });
const patchAccount = (headers: Record<string, string>, payload: object) =>
  t().app.inject({ method: 'PATCH', url: '/api/v1/account', headers, payload });
const rowOf = async (id: string) => (await withSystem(t().database.db, (tx) => tx.select().from(accounts).where(eq(accounts.id, id))))[0]!;

describe('GET /account', () => {
  it('shows any member (and API key) the account with its settings and defaults; 401 without credentials', async () => {
    const acc = await createAccount(t(), { name: 'Globex' });
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const res = await getAccount(analyst.headers);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json().data).toMatchObject({ id: acc.accountId, name: 'Globex', timeZone: 'UTC', settings: { availableOnOpen: true } });
    expect(res.json().policies[0]).toMatchObject({ id: acc.accountId, abilities: { manage_account: false, read: true } });
    expect((await getAccount(acc.owner.headers)).json().policies[0].abilities.manage_account).toBe(true);
    expect((await getAccount(await createApiKeyHeaders(t(), acc.accountId, 'agent'))).statusCode).toBe(200);
    expect((await getAccount({})).statusCode).toBe(401);
  });
});

describe('PATCH /account', () => {
  it('changes name, time zone and availableOnOpen; GET /me follows; other settings keys stay', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    await withSystem(t().database.db, (tx) =>
      tx
        .update(accounts)
        .set({ settings: { defaultCountry: 'GB' } })
        .where(eq(accounts.id, acc.accountId)),
    );
    const admin = await createUser(t(), acc.accountId, 'admin');
    const res = await patchAccount(admin.headers, { name: 'Northwind', timeZone: 'Europe/Berlin', settings: { availableOnOpen: false } });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ name: 'Northwind', timeZone: 'Europe/Berlin', settings: { availableOnOpen: false } });
    const me = (await t().app.inject({ url: '/api/v1/me', headers: acc.owner.headers })).json().data;
    expect(me.account).toMatchObject({ name: 'Northwind', timeZone: 'Europe/Berlin' });
    expect((await rowOf(acc.accountId)).settings).toEqual({ defaultCountry: 'GB', availableOnOpen: false });
    // The key the presence endpoint reads.
    const [{ v }] = (await withSystem(t().database.db, (tx) =>
      tx
        .select({ v: sql<string>`${accounts.settings}->>'availableOnOpen'` })
        .from(accounts)
        .where(eq(accounts.id, acc.accountId)),
    )) as [{ v: string }];
    expect(v).toBe('false');
    // Only name: the settings stay as they are.
    expect((await patchAccount(admin.headers, { name: 'Northwind Outfitters' })).json().data.settings).toEqual({ availableOnOpen: false });
    expect((await rowOf(other.accountId)).name).not.toBe('Northwind');
  });

  it.each([
    ['an empty body', {}],
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }],
    ['a blank name', { name: '  ' }],
    ['an unknown field', { slug: 'mine' }],
    ['an unknown setting', { settings: { defaultCountry: 'FR' } }],
    ['a setting of the wrong type', { settings: { availableOnOpen: 'yes' } }],
  ])('rejects %s with 422, changing nothing', async (_label, body) => {
    const acc = await createAccount(t());
    const before = await rowOf(acc.accountId);
    const res = await patchAccount(acc.owner.headers, body);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('validation_failed');
    expect(await rowOf(acc.accountId)).toEqual(before);
  });

  it('names the field of an unknown time zone', async () => {
    const acc = await createAccount(t());
    const res = await patchAccount(acc.owner.headers, { timeZone: 'Europe/Atlantis' });
    expect(res.json().errors).toEqual([{ path: 'body.timeZone', message: expect.stringContaining('Europe/Atlantis') }]);
  });

  it('answers 401 and 403 below admin (people and keys), changing nothing', async () => {
    const acc = await createAccount(t());
    const before = await rowOf(acc.accountId);
    const supervisor = await createUser(t(), acc.accountId, 'supervisor');
    expect((await patchAccount({}, { name: 'x' })).statusCode).toBe(401);
    const denied = await patchAccount(supervisor.headers, { name: 'x' });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('forbidden');
    expect((await patchAccount(await createApiKeyHeaders(t(), acc.accountId, 'supervisor'), { name: 'x' })).statusCode).toBe(403);
    expect(await rowOf(acc.accountId)).toEqual(before);
    expect((await patchAccount(await createApiKeyHeaders(t(), acc.accountId, 'admin'), { name: 'By key' })).statusCode).toBe(200);
  });
});
