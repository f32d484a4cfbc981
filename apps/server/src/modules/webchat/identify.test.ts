import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { channels, customerIdentities, customers, webchatVisitors } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import { createAccount } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { identityHash } from './identity-hash';
import { createWebChannel, sendAsVisitor, startSession, type Visitor } from './test-support';

const t = useTestApp();

const secretOf = async (channelId: string) =>
  (await withSystem(t().database.db, (tx) => tx.select().from(channels).where(eq(channels.id, channelId))))[0]!.webhookSecret;

const identify = (channelId: string, v: Visitor | null, payload: object) =>
  t().app.inject({ method: 'POST', url: `/api/v1/widget/${channelId}/identify`, headers: v?.headers ?? {}, payload });

/** One hex digit off: the right hash but for its last character. */
const flipLast = (hex: string) => hex.slice(0, -1) + (hex.endsWith('0') ? '1' : '0');

/** Everything identify could change: the customers, their identities and whom each visitor points at. */
async function snapshot(accountId: string) {
  return withSystem(t().database.db, async (tx) => ({
    customers: (await tx.select({ n: count() }).from(customers).where(eq(customers.accountId, accountId)))[0]!.n,
    identities: (await tx.select({ n: count() }).from(customerIdentities).where(eq(customerIdentities.accountId, accountId)))[0]!.n,
    visitors: (
      await tx
        .select({ id: webchatVisitors.id, customerId: webchatVisitors.customerId })
        .from(webchatVisitors)
        .where(eq(webchatVisitors.accountId, accountId))
    ).sort((a, b) => a.id.localeCompare(b.id)),
  }));
}

/** A known customer with a web conversation, as if they had chatted from another device before. */
async function knownCustomer(acc: Awaited<ReturnType<typeof createAccount>>, web: string) {
  const res = await t().app.inject({
    method: 'POST',
    url: '/api/v1/conversations',
    headers: acc.owner.headers,
    payload: {
      customer: { email: 'ada@example.com', externalId: 'user-42', name: 'Ada' },
      channelId: web,
      message: { body: 'Earlier question' },
    },
  });
  expect(res.statusCode).toBe(201);
  return res.json().data;
}

describe('widget identify', () => {
  it('attaches the visitor to the customer of a valid hash, who then sees their history and gets the new name', async () => {
    const acc = await createAccount(t());
    const web = await createWebChannel(t(), acc.accountId);
    await knownCustomer(acc, web);
    const v = await startSession(t(), web);
    await sendAsVisitor(t(), web, v, { body: 'Anonymous hello', clientMessageId: 'anon-1' });
    const before = await snapshot(acc.accountId);
    const anonymousId = before.visitors[0]!.customerId;

    const secret = await secretOf(web);
    const res = await identify(web, v, {
      externalId: 'user-42',
      name: 'Ada Lovelace',
      hash: identityHash(secret, { externalId: 'user-42' }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.messages.map((m: { body: string }) => m.body)).toEqual(['Earlier question']);

    const after = await snapshot(acc.accountId);
    expect(after.customers).toBe(before.customers); // found, not created
    expect(after.identities).toBe(before.identities);
    const known = after.visitors[0]!.customerId;
    expect(known).not.toBe(anonymousId);
    const profile = await t().app.inject({ method: 'GET', url: `/api/v1/customers/${known}`, headers: acc.owner.headers });
    expect(profile.json().data).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com' });

    // The visitor now writes as the known customer, and sees the same history on reload.
    const sent = await sendAsVisitor(t(), web, v, { body: 'Now logged in', clientMessageId: 'k-1' });
    expect(sent.statusCode).toBe(201);
    const hist = await t().app.inject({ method: 'GET', url: `/api/v1/widget/${web}/messages`, headers: v.headers });
    expect(hist.json().data.messages.map((m: { body: string }) => m.body)).toEqual(['Earlier question', 'Now logged in']);
    // The anonymous profile keeps its conversation (agents may merge it); nothing was moved or deleted.
    const anon = await t().app.inject({ method: 'GET', url: `/api/v1/customers/${anonymousId}`, headers: acc.owner.headers });
    expect(anon.statusCode).toBe(200);
  });

  it('creates the customer for an email nobody owns yet (hash over the email when there is no externalId)', async () => {
    const acc = await createAccount(t());
    const web = await createWebChannel(t(), acc.accountId);
    const v = await startSession(t(), web);
    const before = await snapshot(acc.accountId);
    const res = await identify(web, v, { email: 'new@example.com', hash: identityHash(await secretOf(web), { email: 'new@example.com' }) });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.messages).toEqual([]);
    const after = await snapshot(acc.accountId);
    expect(after.customers).toBe(before.customers + 1);
  });

  it('refuses forged, foreign and missing hashes and changes nothing', async () => {
    const acc = await createAccount(t());
    const web = await createWebChannel(t(), acc.accountId);
    const other = await createWebChannel(t(), acc.accountId);
    await knownCustomer(acc, web);
    const v = await startSession(t(), web);
    const secret = await secretOf(web);
    const before = await snapshot(acc.accountId);

    const forged = [
      { externalId: 'user-42', hash: identityHash('not-the-secret', { externalId: 'user-42' }) },
      // A valid hash of another user does not open this one.
      { externalId: 'user-42', hash: identityHash(secret, { externalId: 'user-7' }) },
      // The hash covers externalId when given: an email's hash cannot be paired with someone's externalId.
      { email: 'ada@example.com', externalId: 'user-42', hash: identityHash(secret, { email: 'ada@example.com' }) },
      { email: 'ada@example.com', hash: identityHash(await secretOf(other), { email: 'ada@example.com' }) },
      { email: 'ada@example.com', hash: flipLast(identityHash(secret, { email: 'ada@example.com' })) },
      { email: 'ada@example.com' },
      { email: 'ada@example.com', hash: '' },
      { hash: identityHash(secret, {}) },
    ];
    for (const payload of forged) {
      const res = await identify(web, v, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(await snapshot(acc.accountId)).toEqual(before);
    // The token still works: a refused identify does not end the session.
    expect((await t().app.inject({ method: 'GET', url: `/api/v1/widget/${web}/messages`, headers: v.headers })).statusCode).toBe(200);
  });

  it("answers 401 without a visitor token or with another channel's, before looking at the body", async () => {
    const acc = await createAccount(t());
    const web = await createWebChannel(t(), acc.accountId);
    const other = await createWebChannel(t(), acc.accountId);
    const stranger = await startSession(t(), other);
    const payload = { email: 'ada@example.com', hash: identityHash(await secretOf(web), { email: 'ada@example.com' }) };
    const before = await snapshot(acc.accountId);
    expect((await identify(web, null, payload)).statusCode).toBe(401);
    expect((await identify(web, stranger, payload)).statusCode).toBe(401);
    expect((await identify(web, null, {})).statusCode).toBe(401);
    expect(await snapshot(acc.accountId)).toEqual(before);
  });
});
