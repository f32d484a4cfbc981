import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createAccount, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { channels } from '../../db/schema';
import { withSystem, withTenant } from '../../db/tenant';
import { command } from '../../platform/tx';
import { resolveCustomer } from './index';
import { countRows } from './test-support';

const t = useTestApp();
const api = '/api/v1/customers';

async function setup() {
  const acc = await createAccount(t());
  const agent = await createUser(t(), acc.accountId, 'agent');
  const create = async (payload: Record<string, unknown>) =>
    (await t().app.inject({ method: 'POST', url: api, headers: agent.headers, payload })).json().data;
  const add = (id: string, payload: Record<string, unknown>) =>
    t().app.inject({ method: 'POST', url: `${api}/${id}/identities`, headers: agent.headers, payload });
  const get = async (id: string) => (await t().app.inject({ url: `${api}/${id}`, headers: agent.headers })).json().data;
  return { acc, agent, create, add, get };
}

describe('identities', () => {
  it('normalises what is added and mirrors the first of each kind as primary', async () => {
    const { create, add, get } = await setup();
    const c = await create({ name: 'Ann' });
    const email = await add(c.id, { kind: 'email', value: ' Ann@Example.COM ' });
    expect(email.statusCode).toBe(201);
    expect(email.json().data).toMatchObject({ kind: 'email', value: 'ann@example.com', channelId: null, verified: false });
    expect((await add(c.id, { kind: 'phone', value: '+1 (415) 555-0100' })).json().data.value).toBe('+14155550100');
    expect((await add(c.id, { kind: 'email', value: 'second@example.com' })).statusCode).toBe(201);
    expect(await get(c.id)).toMatchObject({ email: 'ann@example.com', phone: '+14155550100' });
    // Adding one the customer already has is a no-op.
    const again = await add(c.id, { kind: 'email', value: 'ANN@example.com' });
    expect(again.statusCode).toBe(200);
    expect(again.json().data.id).toBe(email.json().data.id);
  });

  it('reads numbers without + in the account default country', async () => {
    const { acc, create, add } = await setup();
    await withSystem(t().database.db, (tx) =>
      tx.execute(sql`update accounts set settings = '{"defaultCountry":"GB"}' where id = ${acc.accountId}`),
    );
    const c = await create({ name: 'Brit', phone: '020 7946 0958' });
    expect(c.phone).toBe('+442079460958');
    expect((await add(c.id, { kind: 'phone', value: '07911 123456' })).json().data.value).toBe('+447911123456');
  });

  it('answers 409 with the owner when another customer has the identity, and changes nothing', async () => {
    const { acc, create, add } = await setup();
    const ann = await create({ name: 'Ann', email: 'ann@example.com' });
    const bob = await create({ name: 'Bob' });
    const before = await countRows(t(), acc.accountId, 'customer_identities');
    const res = await add(bob.id, { kind: 'email', value: 'ANN@example.com' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'conflict', customerId: ann.id, kind: 'email', value: 'ann@example.com' });
    const dup = await t().app.inject({
      method: 'POST',
      url: api,
      headers: (await createUser(t(), acc.accountId, 'agent')).headers,
      payload: { name: 'Ann again', email: ' ann@example.com' },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().customerId).toBe(ann.id);
    expect(await countRows(t(), acc.accountId, 'customer_identities')).toBe(before);
    expect(await countRows(t(), acc.accountId, 'customers')).toBe(2);
  });

  it('lets two accounts each have the same address', async () => {
    const a = await setup();
    const b = await setup();
    expect((await a.create({ email: 'shared@example.com' })).email).toBe('shared@example.com');
    expect((await b.create({ email: 'shared@example.com' })).email).toBe('shared@example.com');
  });

  it('requires a channel of this account for channel handles', async () => {
    const { acc, create, add } = await setup();
    const other = await createAccount(t());
    const c = await create({ name: 'Chat user' });
    const missing = await add(c.id, { kind: 'channel_handle', value: '@ann' });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors[0].path).toBe('channelId');
    const foreign = await add(c.id, { kind: 'channel_handle', value: '@ann', channelId: other.apiChannelId });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().detail).toMatch(/No such channel/);
    const stray = await add(c.id, { kind: 'email', value: 'a@example.com', channelId: acc.apiChannelId });
    expect(stray.statusCode).toBe(422);
    const ok = await add(c.id, { kind: 'channel_handle', value: ' @Ann ', channelId: acc.apiChannelId });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().data).toMatchObject({ value: '@Ann', channelId: acc.apiChannelId });
    // The same handle on another channel is another identity.
    const webId = await withSystem(t().database.db, async (tx) => {
      const [ch] = await tx.insert(channels).values({ accountId: acc.accountId, kind: 'web', name: 'Web' }).returning();
      return ch!.id;
    });
    expect((await add(c.id, { kind: 'channel_handle', value: '@Ann', channelId: webId })).statusCode).toBe(201);
  });

  it('answers 422 for invalid values with a clear message and stores nothing', async () => {
    const { acc, create, add } = await setup();
    const c = await create({ name: 'Ann' });
    for (const [kind, value] of [
      ['email', 'ann at example'],
      ['phone', '555'],
      ['external_id', '   '],
      ['fax', '123'],
    ]) {
      const res = await add(c.id, { kind, value });
      expect(res.statusCode, `${kind} ${value}`).toBe(422);
      expect(res.json().code).toBe('validation_failed');
    }
    expect(await countRows(t(), acc.accountId, 'customer_identities')).toBe(0);
  });

  it('removes identities, promotes the next one to primary, and allows removing the last', async () => {
    const { agent, create, add, get } = await setup();
    const c = await create({ name: 'Ann', email: 'first@example.com' });
    await add(c.id, { kind: 'email', value: 'second@example.com' });
    const ids = (await get(c.id)).identities.map((i: { id: string }) => i.id);
    const del = (id: string) => t().app.inject({ method: 'DELETE', url: `${api}/${c.id}/identities/${id}`, headers: agent.headers });
    const first = await del(ids[0]);
    expect(first.statusCode).toBe(204);
    expect(await get(c.id)).toMatchObject({ email: 'second@example.com' });
    expect((await del(ids[1])).statusCode).toBe(204);
    expect(await get(c.id)).toMatchObject({ email: null, identities: [] });
    expect((await del(ids[1])).statusCode).toBe(404);
  });

  it('does not delete another customer’s identity through this customer', async () => {
    const { create, agent, get } = await setup();
    const ann = await create({ name: 'Ann', email: 'ann@example.com' });
    const bob = await create({ name: 'Bob' });
    const res = await t().app.inject({
      method: 'DELETE',
      url: `${api}/${bob.id}/identities/${ann.identities[0].id}`,
      headers: agent.headers,
    });
    expect(res.statusCode).toBe(404);
    expect((await get(ann.id)).identities).toHaveLength(1);
  });

  it('lists identities with keyset pagination', async () => {
    const { create, add, agent } = await setup();
    const c = await create({ name: 'Many', email: 'm0@example.com' });
    for (let i = 1; i < 5; i++) await add(c.id, { kind: 'email', value: `m${i}@example.com` });
    const values: string[] = [];
    let cursor: string | null = null;
    do {
      const body: { data: { value: string }[]; page: { nextCursor: string | null } } = (
        await t().app.inject({ url: `${api}/${c.id}/identities?limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers: agent.headers })
      ).json();
      values.push(...body.data.map((i) => i.value));
      cursor = body.page.nextCursor;
    } while (cursor);
    expect(values).toEqual(['m0@example.com', 'm1@example.com', 'm2@example.com', 'm3@example.com', 'm4@example.com']);
  });

  it('emits customer.identity_added with the customer and the identity', async () => {
    const { create, add, agent } = await setup();
    const c = await create({ name: 'Ann' });
    await add(c.id, { kind: 'external_id', value: 'crm-9' });
    const items = (await t().app.inject({ url: `${api}/${c.id}/timeline`, headers: agent.headers })).json().data;
    expect(items[0]).toMatchObject({
      kind: 'event',
      type: 'customer.identity_added',
      payload: { identity: { kind: 'external_id', value: 'crm-9' }, customer: { id: c.id, externalId: 'crm-9' } },
    });
  });
});

describe('resolveCustomer', () => {
  it('finds the owner of any identity, else creates a customer with all of them', async () => {
    const { acc, agent, create } = await setup();
    const ann = await create({ name: 'Ann', email: 'ann@example.com' });
    const found = await command(agent.ctx, (tx) =>
      resolveCustomer(tx, agent.ctx, { name: 'Someone', email: ' ANN@example.com', phone: '+1 415 555 0100' }),
    );
    expect(found.created).toBe(false);
    expect(found.customer.id).toBe(ann.id);

    const made = await command(agent.ctx, (tx) =>
      resolveCustomer(tx, agent.ctx, {
        name: 'New',
        phone: '(415) 555-0199',
        externalId: 'ext-1',
        channelHandle: { channelId: acc.apiChannelId, value: 'h1' },
      }),
    );
    expect(made.created).toBe(true);
    expect(made.customer).toMatchObject({ name: 'New', phone: '+14155550199', externalId: 'ext-1' });
    const again = await command(agent.ctx, (tx) =>
      resolveCustomer(tx, agent.ctx, { channelHandle: { channelId: acc.apiChannelId, value: 'h1' } }),
    );
    expect(again).toMatchObject({ created: false, customer: { id: made.customer.id } });
    const events = await withTenant(t().database.db, acc.accountId, (tx) =>
      tx.execute<{ n: number }>(
        sql`select count(*)::int as n from events where type = 'customer.created' and customer_id = ${made.customer.id}`,
      ),
    );
    expect(events.rows[0]!.n).toBe(1);
  });

  it('creates one customer when many requests resolve the same new identity at once', async () => {
    const { acc, agent } = await setup();
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        command(agent.ctx, (tx) => resolveCustomer(tx, agent.ctx, { email: 'race@example.com', phone: '+1 415 555 0142' })),
      ),
    );
    expect(new Set(results.map((r) => r.customer.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await countRows(t(), acc.accountId, 'customers')).toBe(1);
    const posts = await Promise.all(
      Array.from({ length: 4 }, () =>
        t().app.inject({ method: 'POST', url: api, headers: agent.headers, payload: { email: 'race2@example.com' } }),
      ),
    );
    expect(posts.map((p) => p.statusCode).sort()).toEqual([201, 409, 409, 409]);
  });

  it('prefers the external id when identities belong to different customers', async () => {
    const { agent, create } = await setup();
    await create({ name: 'By email', email: 'x@example.com' });
    const byId = await create({ name: 'By id', externalId: 'crm-1' });
    const r = await command(agent.ctx, (tx) => resolveCustomer(tx, agent.ctx, { email: 'x@example.com', externalId: 'crm-1' }));
    expect(r.customer.id).toBe(byId.id);
  });

  it('rejects invalid values with a 422 at customer.<field>', async () => {
    const { agent } = await setup();
    const err = await command(agent.ctx, (tx) => resolveCustomer(tx, agent.ctx, { phone: 'nope' })).catch((e) => e);
    expect(err).toMatchObject({ code: 'validation_failed', details: { errors: [{ path: 'customer.phone' }] } });
  });

  it('creates a nameless customer without identities when nothing identifies them', async () => {
    const { agent } = await setup();
    const r = await command(agent.ctx, (tx) => resolveCustomer(tx, agent.ctx, {}));
    expect(r.created).toBe(true);
    expect(r.customer.name).toBeNull();
  });
});
