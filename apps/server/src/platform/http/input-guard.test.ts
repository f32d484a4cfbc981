import { describe, expect, it } from 'vitest';
import { createAccount } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { MAX_INPUT_DEPTH } from './input-guard';

const t = useTestApp();

/** As text: serialising a 5,000-level object would overflow the test's own stack. */
const nested = (levels: number) => `${'{"deeper":'.repeat(levels)}"leaf"${'}'.repeat(levels)}`;

describe('values no route can store are refused once, before any schema', () => {
  it('a NUL character in a string, a key or the query is 422 problem+json naming the field, and nothing is written', async () => {
    const acc = await createAccount(t());
    const headers = acc.owner.headers;
    const teams = async () => (await t().app.inject({ url: '/api/v1/teams', headers })).json().data.length;
    const before = await teams();
    const cases = [
      { method: 'POST', url: '/api/v1/teams', payload: { name: 'Sales\u0000' }, path: 'body.name' },
      { method: 'POST', url: '/api/v1/macros', payload: { name: 'x\u0000y', actions: [] }, path: 'body.name' },
      { method: 'POST', url: '/api/v1/api-keys', payload: { name: '\u0000', role: 'agent' }, path: 'body.name' },
      { method: 'POST', url: '/api/v1/customers', payload: { name: 'Ann', attributes: { 'pl\u0000an': 'gold' } }, path: 'body.attributes' },
      { method: 'GET', url: '/api/v1/customers?q=%00', path: 'querystring.q' },
    ] as const;
    for (const c of cases) {
      const res = await t().app.inject({ method: c.method, url: c.url, headers, ...('payload' in c ? { payload: c.payload } : {}) });
      expect(res.statusCode, c.url).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: c.path, message: expect.stringContaining('NUL') }] });
    }
    expect(await teams()).toBe(before);
  });

  it(`a document nested deeper than ${MAX_INPUT_DEPTH} levels is 422, one within the limit is not refused for its depth`, async () => {
    const acc = await createAccount(t());
    const post = (attributes: string) =>
      t().app.inject({
        method: 'POST',
        url: '/api/v1/customers',
        headers: { ...acc.owner.headers, 'content-type': 'application/json' },
        payload: `{"name":"Deep","attributes":${attributes}}`,
      });
    const deep = await post(nested(5000));
    expect(deep.statusCode).toBe(422);
    expect(deep.json()).toMatchObject({ code: 'validation_failed', errors: [{ message: `Nested deeper than ${MAX_INPUT_DEPTH} levels` }] });
    const list = await t().app.inject({ url: '/api/v1/customers?q=Deep', headers: acc.owner.headers });
    expect(list.json().data).toHaveLength(0);
    const shallow = await post(nested(3));
    expect(shallow.statusCode).toBe(201);
  });

  it('an unknown time zone is 422 with a clear message; an IANA name and an alias are accepted', async () => {
    const acc = await createAccount(t());
    const post = (timeZone: string) =>
      t().app.inject({ method: 'POST', url: '/api/v1/customers', headers: acc.owner.headers, payload: { name: 'Zoned', timeZone } });
    const bad = await post('Mars/Olympus_Mons');
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([
      { path: 'body.timeZone', message: expect.stringContaining('"Mars/Olympus_Mons" is not a known IANA time zone') },
    ]);
    expect((await post('europe/berlin')).statusCode).toBe(422);
    expect((await post('Europe/Berlin')).json().data.timeZone).toBe('Europe/Berlin');
    expect((await post('Etc/UTC')).statusCode).toBe(201);
  });
});
