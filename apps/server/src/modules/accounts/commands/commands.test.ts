import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { apiKeys, memberships } from '../../../db/schema';
import { withSystem } from '../../../db/tenant';
import { createAccount, createTeam } from '../../../../test/factories';
import { useTestApp } from '../../../../test/harness';
import { findAccountBySlug, issueApiKey, provisionUser, signUp } from '../index';
import { slugify } from '../slug';
import { eventsOf, login, PASSWORD, uniqueEmail } from '../test-support';

const t = useTestApp();

describe('slugify', () => {
  it.each([
    ['Café Crème & Co.', 'cafe-creme-co'],
    ['  --Hello   World--  ', 'hello-world'],
    ['🙂🙂', 'account'],
    ['x'.repeat(60), 'x'.repeat(40)],
  ])('%s -> %s', (name, slug) => expect(slugify(name)).toBe(slug));
});

describe('signUp (for the CLI and the demo seed)', () => {
  it('creates a findable account whose owner can log in', async () => {
    const email = uniqueEmail('cli');
    const out = await signUp(t().database.db, t().events, {
      accountName: 'Northwind Traders',
      name: 'Nancy',
      email,
      password: PASSWORD,
      timeZone: 'Europe/Berlin',
    });
    expect(out.account.timeZone).toBe('Europe/Berlin');
    expect(out.sessionToken).toEqual(expect.any(String));
    expect((await findAccountBySlug(t().database.db, out.account.slug))?.id).toBe(out.account.id);
    expect(await findAccountBySlug(t().database.db, 'no-such-account-slug')).toBeNull();
    expect((await login(t(), { email, password: PASSWORD, account: out.account.slug })).statusCode).toBe(200);
  });
});

describe('issueApiKey (touchpoint create-api-key)', () => {
  it('issues a working key without an acting user and emits api_key.created as system', async () => {
    const acc = await createAccount(t());
    const key = await issueApiKey(t().database.db, t().events, { accountId: acc.accountId, name: 'ci', role: 'admin' });
    expect(key.secret).toMatch(/^tp_/);
    const me = await t().app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${key.secret}` } });
    expect(me.json().data.role).toBe('admin');
    const [row] = await withSystem(t().database.db, (tx) => tx.select().from(apiKeys).where(eq(apiKeys.id, key.id)));
    expect(row!.createdById).toBeNull();
    const [event] = await eventsOf(t(), acc.accountId, 'api_key.created');
    expect(event!.actorKind).toBe('system');
  });
});

describe('provisionUser (demo seed)', () => {
  it('adds a person with a password and teams; a second time is a 409', async () => {
    const acc = await createAccount(t());
    const teamId = await createTeam(t(), acc.accountId);
    const email = uniqueEmail('seed');
    const user = await provisionUser(t().database.db, t().events, {
      accountId: acc.accountId,
      email,
      name: 'Sid',
      password: PASSWORD,
      role: 'agent',
      teamIds: [teamId],
    });
    expect(user).toMatchObject({ role: 'agent', teams: [{ id: teamId }] });
    expect((await login(t(), { email, password: PASSWORD })).statusCode).toBe(200);
    await expect(
      provisionUser(t().database.db, t().events, { accountId: acc.accountId, email, name: 'Sid', password: PASSWORD, role: 'agent' }),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    const rows = await withSystem(t().database.db, (tx) => tx.select().from(memberships).where(eq(memberships.userId, user.id)));
    expect(rows).toHaveLength(1);
  });
});
