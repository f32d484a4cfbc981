import { describe, expect, it } from 'vitest';
import { createAccount, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { searchTermsOf, toPrefixTsQuery } from './search-terms';

const t = useTestApp();
const api = '/api/v1/customers';

async function setup() {
  const acc = await createAccount(t());
  const agent = await createUser(t(), acc.accountId, 'agent');
  const create = async (payload: Record<string, unknown>) =>
    (await t().app.inject({ method: 'POST', url: api, headers: agent.headers, payload })).json().data;
  const search = async (q: string, extra = '') => {
    const res = await t().app.inject({ url: `${api}?q=${encodeURIComponent(q)}${extra}`, headers: agent.headers });
    expect(res.statusCode, `q=${q}: ${res.body.slice(0, 200)}`).toBe(200);
    return res.json() as { data: { id: string; name: string }[]; page: { nextCursor: string | null } };
  };
  const names = async (q: string) => (await search(q)).data.map((c) => c.name);
  return { acc, agent, create, search, names };
}

describe('toPrefixTsQuery', () => {
  it('keeps only letters and digits, each term a prefix', () => {
    expect(toPrefixTsQuery('Ann Lee')).toBe('ann:* & lee:*');
    expect(toPrefixTsQuery("a & | ! ( ) :* <-> 'b' \\c")).toBe('a:* & b:* & c:*');
    expect(toPrefixTsQuery('&|!():*')).toBeNull();
    expect(toPrefixTsQuery('Zoë Ørsted')).toBe('zoë:* & ørsted:*');
  });

  it('reads phone-like text as phone prefixes in the account country', () => {
    expect(searchTermsOf('415 555', 'US').phonePrefixes).toEqual(['+415555%', '+1415555%']);
    expect(searchTermsOf('020 7946', 'GB').phonePrefixes).toEqual(['+0207946%', '+4420 7946%'.replace(' ', '')]);
    expect(searchTermsOf('+44 20', 'US').phonePrefixes).toEqual(['+4420%']);
    expect(searchTermsOf('ann 415', 'US').phonePrefixes).toEqual([]);
    expect(searchTermsOf('50%_off', 'US').textPrefix).toBe('50\\%\\_off%');
  });
});

describe('searchTermsOf: email domains and digits anywhere', () => {
  it('reads a domain, with or without @, as a domain prefix', () => {
    expect(searchTermsOf('acme.com', 'US').emailDomainPrefix).toBe('acme.com%');
    expect(searchTermsOf('@Acme.COM', 'US').emailDomainPrefix).toBe('acme.com%');
    expect(searchTermsOf('@acme', 'US').emailDomainPrefix).toBe('acme%');
    expect(searchTermsOf('my_co.com', 'US').emailDomainPrefix).toBeNull();
    expect(searchTermsOf('acme', 'US').emailDomainPrefix).toBeNull();
    expect(searchTermsOf('ann@acme.com', 'US').emailDomainPrefix).toBeNull();
    expect(searchTermsOf('ann lee.com', 'US').emailDomainPrefix).toBeNull();
  });

  it('reads phone-like text as digits anywhere (four or more), also without a national trunk 0', () => {
    expect(searchTermsOf('555-0123', 'US').phoneDigits).toEqual(['%5550123%']);
    expect(searchTermsOf('+1 (555) 012', 'US').phoneDigits).toEqual(['%1555012%']);
    expect(searchTermsOf('0151 234', 'DE').phoneDigits).toEqual(['%0151234%', '%151234%']);
    expect(searchTermsOf('555', 'US').phoneDigits).toEqual([]);
    expect(searchTermsOf('ann 5550', 'US').phoneDigits).toEqual([]);
  });
});

describe('customer search', () => {
  it('finds everyone at an email domain, typed as `acme.com`, `@acme.com` or `@acme`', async () => {
    const { create, names } = await setup();
    await create({ name: 'Ann at Acme', email: 'ann@acme.com' });
    await create({ name: 'Bob at Acme', email: 'Bob@ACME.com' });
    await create({ name: 'Cid at Acme Labs', email: 'cid@acme-labs.io' });
    await create({ name: 'Dee elsewhere', email: 'dee@notacme.com' });
    await create({ name: 'Eve no email', phone: '+1 415 555 0199' });
    expect(await names('acme.com')).toEqual(['Bob at Acme', 'Ann at Acme']);
    expect(await names('@acme.com')).toEqual(['Bob at Acme', 'Ann at Acme']);
    expect(await names('@ACME.COM')).toEqual(['Bob at Acme', 'Ann at Acme']);
    expect(await names('@acme')).toEqual(['Cid at Acme Labs', 'Bob at Acme', 'Ann at Acme']);
    expect(await names('notacme.com')).toEqual(['Dee elsewhere']);
    expect(await names('acme.co.uk')).toEqual([]);
    // LIKE wildcards in a domain are text, not patterns.
    expect(await names('@ac_e')).toEqual([]);
  });

  it('finds partial phone numbers by their digits anywhere, whatever the spaces, dashes, brackets or +', async () => {
    const { create, names } = await setup();
    // (555) area codes are not valid numbers, so the 555-01xx fiction numbers sit behind a real area code.
    expect((await create({ name: 'Pat US', phone: '+1 (415) 555-0123' })).phone).toBe('+14155550123');
    expect((await create({ name: 'Quinn UK', phone: '+44 20 7946 0958' })).phone).toBe('+442079460958');
    expect((await create({ name: 'Ray DE', phone: '+49 151 23450123' })).phone).toBe('+4915123450123');
    expect(await names('5550123')).toEqual(['Pat US']);
    expect(await names('555-0123')).toEqual(['Pat US']);
    expect(await names('(415) 555 0123')).toEqual(['Pat US']);
    expect(await names('0123')).toEqual(['Ray DE', 'Pat US']);
    expect(await names('7946-0958')).toEqual(['Quinn UK']);
    expect(await names('+44 20 7946')).toEqual(['Quinn UK']);
    // A national number with its trunk 0 still finds the E.164 number.
    expect(await names('0151 2345')).toEqual(['Ray DE']);
    expect(await names('99999')).toEqual([]);
  });

  it('ranks a phone prefix above digits found further inside a number', async () => {
    const { create, names } = await setup();
    await create({ name: 'Prefix', phone: '+1 415 555 0100' });
    await create({ name: 'Inside', phone: '+1 212 415 5551' });
    expect(await names('415 555')).toEqual(['Prefix', 'Inside']);
  });

  it('matches name, email and phone prefixes and words anywhere in the profile', async () => {
    const { create, names } = await setup();
    await create({ name: 'Ann Lee', email: 'ann@example.com', phone: '+1 415 555 0100' });
    await create({ name: 'Bob Stone', email: 'bob@shop.test', phone: '+44 20 7946 0958' });
    await create({ name: 'Annette Marx', email: 'marx@example.org' });
    expect(await names('ann')).toEqual(['Annette Marx', 'Ann Lee']);
    expect(await names('bob@sh')).toEqual(['Bob Stone']);
    expect(await names('(415) 555')).toEqual(['Ann Lee']);
    expect(await names('+44 20 79')).toEqual(['Bob Stone']);
    expect(await names('stone')).toEqual(['Bob Stone']);
    expect(await names('lee ann')).toEqual(['Ann Lee']);
    expect(await names('nobody')).toEqual([]);
  });

  it('ranks an exact email or phone match first', async () => {
    const { create, names } = await setup();
    await create({ name: 'Target', email: 'sam@example.com' });
    await create({ name: 'Sam Newer', email: 'sam@example.com.au' });
    await create({ name: 'sam@example.com fan' });
    expect((await names('SAM@example.com'))[0]).toBe('Target');
    await create({ name: 'Phone owner', phone: '+1 415 555 0123' });
    await create({ name: 'Later one', phone: '+1 415 555 0124' });
    expect(await names('415-555-0123')).toEqual(['Phone owner']);
    expect(await names('415 555 012')).toEqual(['Later one', 'Phone owner']);
  });

  it('finds customers by a secondary email exactly', async () => {
    const { create, agent, names } = await setup();
    const c = await create({ name: 'Two addresses', email: 'one@example.com' });
    await t().app.inject({
      method: 'POST',
      url: `${api}/${c.id}/identities`,
      headers: agent.headers,
      payload: { kind: 'email', value: 'two@example.com' },
    });
    expect(await names('two@example.com')).toEqual(['Two addresses']);
  });

  it('paginates search results with a keyset cursor across ranks', async () => {
    const { create, search } = await setup();
    await create({ name: 'Other', email: 'kim@example.com' });
    for (let i = 0; i < 4; i++) await create({ name: `Kim ${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await search('kim', `&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.data.map((c) => c.name));
      cursor = page.page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Kim 3', 'Kim 2', 'Kim 1', 'Kim 0', 'Other']);
  });

  it('treats an empty or blank q as the plain list', async () => {
    const { create, names } = await setup();
    await create({ name: 'First' });
    await create({ name: 'Second' });
    expect(await names('')).toEqual(['Second', 'First']);
    expect(await names('   ')).toEqual(['Second', 'First']);
  });

  it('never errors on tsquery syntax, LIKE wildcards or SQL in q', async () => {
    const { create, names, agent } = await setup();
    await create({ name: "O'Brien & Sons", email: 'ob@example.com' });
    await create({ name: '100% real_name' });
    for (const q of [
      'a & | ! ( ) :*',
      '&',
      '!!',
      '(',
      ':*',
      "'",
      "''",
      '\\',
      'a:* | b',
      '<->',
      "x' OR '1'='1",
      "'; drop table customers; --",
      '%',
      '_',
      '"',
      'é!*',
      '1 2 3 4 5 6 7 8 9 10 11 12',
    ]) {
      await names(q);
    }
    expect(await names("o'brien &")).toEqual(["O'Brien & Sons"]);
    expect(await names('%')).toEqual([]);
    expect(await names('100%')).toEqual(['100% real_name']);
    expect(await names("'; drop table customers; --")).toEqual([]);
    expect((await names('')).length).toBe(2);
    // A NUL never reaches SQL: every route refuses it with 422 (platform/http/input-guard.ts).
    const nul = await t().app.inject({ url: `${api}?q=${encodeURIComponent('\u0000')}`, headers: agent.headers });
    expect(nul.statusCode).toBe(422);
  });

  it('stores and finds names that look like SQL or HTML verbatim', async () => {
    const { create, search } = await setup();
    const evil = "Robert'); DROP TABLE customers;--";
    const html = '<script>alert(1)</script>';
    await create({ name: evil });
    await create({ name: html });
    expect((await search('robert')).data.map((c) => c.name)).toEqual([evil]);
    expect((await search(html)).data.map((c) => c.name)).toEqual([html]);
  });

  it('excludes merged customers and other tenants', async () => {
    const { create, names, acc } = await setup();
    const other = await setup();
    await other.create({ name: 'Zed elsewhere' });
    const keep = await create({ name: 'Zed kept' });
    const gone = await create({ name: 'Zed merged' });
    const supervisor = await createUser(t(), acc.accountId, 'supervisor');
    const merged = await t().app.inject({
      method: 'POST',
      url: `${api}/${keep.id}/merge`,
      headers: supervisor.headers,
      payload: { sourceId: gone.id },
    });
    expect(merged.statusCode).toBe(200);
    expect(await names('zed')).toEqual(['Zed kept']);
  });
});
