import { describe, expect, it } from 'vitest';
import { createAccount, createApiKeyHeaders, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { countRows } from './test-support';

const t = useTestApp();
const api = '/api/v1/customers';

async function setup() {
  const acc = await createAccount(t());
  const agent = await createUser(t(), acc.accountId, 'agent');
  const analyst = await createUser(t(), acc.accountId, 'analyst');
  return { acc, agent, analyst };
}

async function create(headers: Record<string, string>, payload: Record<string, unknown>) {
  return t().app.inject({ method: 'POST', url: api, headers, payload });
}

describe('customers routes: authentication and tenancy', () => {
  it('answers 401 without credentials on every route', async () => {
    const id = '0190a6b0-0000-7000-8000-000000000000';
    const calls = [
      { method: 'POST', url: api, payload: { name: 'x' } },
      { method: 'GET', url: api },
      { method: 'GET', url: `${api}/${id}` },
      { method: 'PATCH', url: `${api}/${id}`, payload: { name: 'x' } },
      { method: 'GET', url: `${api}/${id}/identities` },
      { method: 'POST', url: `${api}/${id}/identities`, payload: { kind: 'email', value: 'a@b.co' } },
      { method: 'DELETE', url: `${api}/${id}/identities/${id}` },
      { method: 'POST', url: `${api}/${id}/merge`, payload: { sourceId: id } },
      { method: 'GET', url: `${api}/${id}/timeline` },
    ] as const;
    for (const c of calls) {
      const res = await t().app.inject(c);
      expect(res.statusCode, `${c.method} ${c.url}`).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it("answers 404 for another tenant's customer on every route, and changes nothing", async () => {
    const { agent } = await setup();
    const other = await setup();
    const theirs = (await create(other.agent.headers, { name: 'Theirs', email: 'theirs@example.com' })).json().data;
    const calls = [
      { method: 'GET', url: `${api}/${theirs.id}` },
      { method: 'PATCH', url: `${api}/${theirs.id}`, payload: { name: 'Hijacked' } },
      { method: 'GET', url: `${api}/${theirs.id}/identities` },
      { method: 'POST', url: `${api}/${theirs.id}/identities`, payload: { kind: 'email', value: 'x@example.com' } },
      { method: 'DELETE', url: `${api}/${theirs.id}/identities/${theirs.identities[0].id}` },
      { method: 'GET', url: `${api}/${theirs.id}/timeline` },
    ] as const;
    for (const c of calls) {
      const res = await t().app.inject({ ...c, headers: agent.headers });
      expect(res.statusCode, `${c.method} ${c.url}`).toBe(404);
      expect(res.json().code).toBe('not_found');
    }
    const list = (await t().app.inject({ url: api, headers: agent.headers })).json();
    expect(list.data).toEqual([]);
    const still = (await t().app.inject({ url: `${api}/${theirs.id}`, headers: other.agent.headers })).json().data;
    expect(still.name).toBe('Theirs');
    expect(still.identities).toHaveLength(1);
  });
});

describe('customers routes: roles', () => {
  it('lets analysts read but answers 403 on every write, with nothing changed', async () => {
    const { acc, agent, analyst } = await setup();
    const c = (await create(agent.headers, { name: 'Ann', email: 'ann@example.com' })).json().data;
    const other = (await create(agent.headers, { name: 'Bob' })).json().data;
    const before = {
      customers: await countRows(t(), acc.accountId, 'customers'),
      identities: await countRows(t(), acc.accountId, 'customer_identities'),
    };
    const writes = [
      { method: 'POST', url: api, payload: { name: 'New' } },
      { method: 'PATCH', url: `${api}/${c.id}`, payload: { name: 'Changed' } },
      { method: 'POST', url: `${api}/${c.id}/identities`, payload: { kind: 'phone', value: '+14155550100' } },
      { method: 'DELETE', url: `${api}/${c.id}/identities/${c.identities[0].id}` },
      { method: 'POST', url: `${api}/${c.id}/merge`, payload: { sourceId: other.id } },
    ] as const;
    for (const w of writes) {
      const res = await t().app.inject({ ...w, headers: analyst.headers });
      expect(res.statusCode, `${w.method} ${w.url}`).toBe(403);
      expect(res.json().code).toBe('forbidden');
    }
    expect(await countRows(t(), acc.accountId, 'customers')).toBe(before.customers);
    expect(await countRows(t(), acc.accountId, 'customer_identities')).toBe(before.identities);
    const got = await t().app.inject({ url: `${api}/${c.id}`, headers: analyst.headers });
    expect(got.statusCode).toBe(200);
    expect(got.json().data.name).toBe('Ann');
    expect(got.json().policies[0].abilities).toEqual({
      read: true,
      create: false,
      update: false,
      manage_identities: false,
      merge: false,
      add_note: false,
    });
  });

  it('works with an API key acting with its role', async () => {
    const { acc } = await setup();
    const headers = await createApiKeyHeaders(t(), acc.accountId, 'agent');
    const res = await create(headers, { name: 'Via key', externalId: 'crm-1' });
    expect(res.statusCode).toBe(201);
    expect(res.json().data.externalId).toBe('crm-1');
  });
});

describe('customers routes: validation', () => {
  it('rejects invalid input with 422 problem+json and creates nothing', async () => {
    const { acc, agent } = await setup();
    const bad = [
      { payload: { name: 'x', email: 'not-an-email' }, path: 'email' },
      { payload: { name: 'x', phone: '12' }, path: 'phone' },
      { payload: { name: 'x'.repeat(201) }, path: 'body.name' },
      { payload: { name: 'x', vip: 'yes' }, path: 'body.vip' },
      { payload: { name: 'x', language: 'english!' }, path: 'body.language' },
      { payload: { name: 'x', attributes: { big: 'y'.repeat(20_000) } }, path: 'body.attributes' },
      { payload: {}, path: 'body' },
      { payload: { name: 'nul\u0000byte' }, path: 'body.name' },
      { payload: { name: 'x', attributes: { k: 'nul\u0000' } }, path: 'body.attributes.k' },
    ];
    for (const b of bad) {
      const res = await create(agent.headers, b.payload);
      expect(res.statusCode, JSON.stringify(b.payload).slice(0, 80)).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe('validation_failed');
      expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(b.path);
    }
    const phone = (await create(agent.headers, { phone: '12' })).json();
    expect(phone.detail).toMatch(/phone number/i);
    expect(await countRows(t(), acc.accountId, 'customers')).toBe(0);
    expect(await countRows(t(), acc.accountId, 'customer_identities')).toBe(0);
  });

  it('answers 400 for malformed JSON and 422 for bad ids and cursors', async () => {
    const { acc, agent } = await setup();
    const res = await t().app.inject({
      method: 'POST',
      url: api,
      headers: { ...agent.headers, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('bad_request');
    expect((await t().app.inject({ url: `${api}/not-a-uuid`, headers: agent.headers })).statusCode).toBe(422);
    expect((await t().app.inject({ url: `${api}?cursor=garbage`, headers: agent.headers })).statusCode).toBe(422);
    expect((await t().app.inject({ url: `${api}?limit=101`, headers: agent.headers })).statusCode).toBe(422);
    expect(await countRows(t(), acc.accountId, 'customers')).toBe(0);
  });

  it('refuses a PATCH with an invalid phone and leaves the customer unchanged', async () => {
    const { agent } = await setup();
    const c = (await create(agent.headers, { name: 'Ann', phone: '+1 415 555 0100' })).json().data;
    const res = await t().app.inject({
      method: 'PATCH',
      url: `${api}/${c.id}`,
      headers: agent.headers,
      payload: { name: 'Changed', phone: 'call me' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0]).toMatchObject({ path: 'phone' });
    const after = (await t().app.inject({ url: `${api}/${c.id}`, headers: agent.headers })).json().data;
    expect(after).toMatchObject({ name: 'Ann', phone: '+14155550100', updatedAt: c.updatedAt });
  });
});

describe('customers routes: happy path', () => {
  it('creates, reads, updates and lists a customer', async () => {
    const { agent } = await setup();
    const res = await create(agent.headers, {
      name: 'Ann Lee',
      email: ' Ann@Example.COM ',
      phone: '(415) 555-0100',
      externalId: ' crm-7 ',
      segment: 'enterprise',
      vip: true,
      language: 'pt-BR',
      attributes: { plan: 'gold', seats: 12 },
    });
    expect(res.statusCode).toBe(201);
    const c = res.json().data;
    expect(c).toMatchObject({
      name: 'Ann Lee',
      email: 'ann@example.com',
      phone: '+14155550100',
      externalId: 'crm-7',
      segment: 'enterprise',
      vip: true,
      language: 'pt-BR',
      attributes: { plan: 'gold', seats: 12 },
      mergedIntoId: null,
    });
    expect(c.identities.map((i: { kind: string; value: string }) => `${i.kind}:${i.value}`).sort()).toEqual([
      'email:ann@example.com',
      'external_id:crm-7',
      'phone:+14155550100',
    ]);
    expect(res.json().policies[0]).toMatchObject({ id: c.id, abilities: { read: true, update: true, merge: false } });

    const patched = await t().app.inject({
      method: 'PATCH',
      url: `${api}/${c.id}`,
      headers: agent.headers,
      payload: { segment: null, attributes: { plan: null, tier: 2 }, email: 'ann.lee@example.com' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().data).toMatchObject({ segment: null, attributes: { seats: 12, tier: 2 }, email: 'ann.lee@example.com' });
    // The old address stays an identity, so mail from it still finds Ann.
    expect(patched.json().data.identities.filter((i: { kind: string }) => i.kind === 'email')).toHaveLength(2);

    const got = await t().app.inject({ url: `${api}/${c.id}`, headers: agent.headers });
    expect(got.json().data).toEqual(patched.json().data);
  });

  it('paginates the list newest first with a keyset cursor', async () => {
    const { agent } = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create(agent.headers, { name: `Customer ${i}` })).json().data.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { statusCode: number; json(): { data: { id: string }[]; page: { nextCursor: string | null; limit: number } } } =
        await t().app.inject({
          url: `${api}?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          headers: agent.headers,
        });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.page.limit).toBe(2);
      seen.push(...body.data.map((c) => c.id));
      cursor = body.page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('emits customer.created and customer.updated with the presented customer', async () => {
    const { acc, agent } = await setup();
    const c = (await create(agent.headers, { name: 'Evented', email: 'ev@example.com' })).json().data;
    await t().app.inject({ method: 'PATCH', url: `${api}/${c.id}`, headers: agent.headers, payload: { vip: true } });
    const timeline = (await t().app.inject({ url: `${api}/${c.id}/timeline`, headers: agent.headers })).json().data;
    expect(timeline.map((i: { type: string }) => i.type)).toEqual(['customer.updated', 'customer.created']);
    expect(timeline[0].payload.customer).toMatchObject({ id: c.id, vip: true });
    expect(timeline[0].payload.changes).toEqual(['vip']);
    expect(timeline[1].payload.customer).toMatchObject({ id: c.id, email: 'ev@example.com', vip: false });
    expect(timeline[1].actorId).toBe(agent.userId);
    expect(acc.accountId).toBeTruthy();
  });

  it('does not emit an update when nothing changes', async () => {
    const { acc, agent } = await setup();
    const c = (await create(agent.headers, { name: 'Same' })).json().data;
    const before = await countRows(t(), acc.accountId, 'events');
    const res = await t().app.inject({ method: 'PATCH', url: `${api}/${c.id}`, headers: agent.headers, payload: { name: 'Same' } });
    expect(res.statusCode).toBe(200);
    expect(await countRows(t(), acc.accountId, 'events')).toBe(before);
  });
});

describe('customers routes: hostile text', () => {
  it('stores SQL and HTML verbatim and returns it unchanged', async () => {
    const { agent } = await setup();
    const names = ["Robert'); DROP TABLE customers;--", '<script>alert("x")</script>', "' OR 1=1 --", '\\x00\\"; select pg_sleep(1);'];
    for (const name of names) {
      const res = await create(agent.headers, { name, attributes: { note: name } });
      expect(res.statusCode).toBe(201);
      expect(res.json().data.name).toBe(name);
      const got = await t().app.inject({ url: `${api}/${res.json().data.id}`, headers: agent.headers });
      expect(got.json().data).toMatchObject({ name, attributes: { note: name } });
      expect(got.headers['content-type']).toContain('application/json');
    }
    const list = (await t().app.inject({ url: api, headers: agent.headers })).json();
    expect(list.data.map((c: { name: string }) => c.name).sort()).toEqual([...names].sort());
  });
});
