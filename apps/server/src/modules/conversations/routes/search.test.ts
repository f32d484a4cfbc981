import { describe, expect, it } from 'vitest';
import { createAccount, createUser } from '../../../../test/factories';
import { useTestApp } from '../../../../test/harness';
import { postMessage, startConversation } from '../test-support';

const t = useTestApp();

const search = (headers: Record<string, string>, query: string) => t().app.inject({ url: `/api/v1/search?${query}`, headers });

describe('GET /search?type=conversations', () => {
  it('finds conversations by message text, ranked, with a highlighted snippet of the best message', async () => {
    const acc = await createAccount(t());
    const h = acc.owner.headers;
    const a = await startConversation(t(), h, {
      customer: { name: 'Alma' },
      message: { body: 'My invoice is wrong, please send a corrected invoice' },
    });
    const b = await startConversation(t(), h, { message: { body: 'Where is my parcel?' } });
    await postMessage(t(), h, b.conversation.id, { body: 'The invoice number is 123', kind: 'incoming' });
    await startConversation(t(), h, { message: { body: 'Nothing relevant here' } });
    const res = await search(h, 'q=invoic');
    expect(res.statusCode).toBe(200);
    const hits = res.json().data;
    expect(hits.map((x: { conversation: { id: string } }) => x.conversation.id)).toEqual([a.conversation.id, b.conversation.id]);
    expect(hits[0]).toMatchObject({ type: 'conversation', messageId: a.message.id, conversation: { customer: { name: 'Alma' } } });
    expect(hits[0].snippetHtml).toContain('<mark>invoice</mark>');
    expect(hits[0].rank).toBeGreaterThan(hits[1].rank);
    // All words must match; the last one as a prefix.
    expect((await search(h, 'q=invoice%20numb')).json().data).toHaveLength(1);
    expect((await search(h, 'q=parcel%20invoice')).json().data).toHaveLength(0);
  });

  it('tsquery operators, quotes and backslashes in the input never cause errors', async () => {
    const acc = await createAccount(t());
    await startConversation(t(), acc.owner.headers, { message: { body: "it's a & b | c (d) x:* <-> !y" } });
    for (const q of [
      "it's",
      '&',
      '|',
      '!',
      '(',
      ')',
      ':*',
      '<->',
      "'",
      '\\',
      'a & b | c',
      "'); drop table messages; --",
      '!!!(((',
      'x:*',
      'a:* & b',
      '%',
      '中文',
    ]) {
      const res = await search(acc.owner.headers, `q=${encodeURIComponent(q)}`);
      expect(res.statusCode, q).toBe(200);
    }
    expect((await search(acc.owner.headers, `q=${encodeURIComponent("it's")}`)).json().data).toHaveLength(1);
  });

  it('snippets are escaped text: markup in a body never comes back as HTML', async () => {
    const acc = await createAccount(t());
    await startConversation(t(), acc.owner.headers, {
      message: { body: 'Hi <script>alert("x")</script> the pwned <img src=x onerror=alert(1)> 1 < 2 & "q"' },
    });
    const [hit] = (await search(acc.owner.headers, 'q=pwned')).json().data;
    expect(hit.snippetHtml).toContain('<mark>pwned</mark>');
    expect(hit.snippetHtml).not.toMatch(/<(?!\/?mark>)/);
    // The parser does not take <img ...> for a tag, so it reaches the snippet: escaped.
    expect(hit.snippetHtml).toContain('&lt;img src=x');
  });

  it('filters by the conversation status; status is for conversations only', async () => {
    const acc = await createAccount(t());
    const h = acc.owner.headers;
    const open = await startConversation(t(), h, { message: { body: 'The refund never arrived' } });
    const done = await startConversation(t(), h, { message: { body: 'Refund question' } });
    await t().app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${done.conversation.id}/status`,
      headers: h,
      payload: { status: 'resolved' },
    });
    const ids = async (query: string) =>
      (await search(h, query)).json().data.map((x: { conversation: { id: string } }) => x.conversation.id);
    expect((await ids('q=refund')).sort()).toEqual([open.conversation.id, done.conversation.id].sort());
    expect(await ids('q=refund&status=resolved')).toEqual([done.conversation.id]);
    expect(await ids('q=refund&status=open')).toEqual([open.conversation.id]);
    expect(await ids('q=refund&status=snoozed')).toEqual([]);
    const [hit] = (await search(h, 'q=refund&status=open')).json().data;
    expect(hit.snippetHtml).toBe('The <mark>refund</mark> never arrived');
    expect((await search(h, 'q=refund&status=closed')).statusCode).toBe(422);
    const customers = await search(h, 'q=refund&type=customers&status=open');
    expect(customers.statusCode).toBe(422);
    expect(customers.json().errors[0].path).toBe('querystring.status');
  });

  it('pages with a cursor and stops at the result cap', async () => {
    const acc = await createAccount(t());
    for (let i = 0; i < 5; i++) await startConversation(t(), acc.owner.headers, { message: { body: `shipment question ${i}` } });
    const first = (await search(acc.owner.headers, 'q=shipment&limit=3')).json();
    expect(first.data).toHaveLength(3);
    const second = (await search(acc.owner.headers, `q=shipment&limit=3&cursor=${first.page.nextCursor}`)).json();
    expect(second.data).toHaveLength(2);
    expect(second.page.nextCursor).toBeNull();
    const ids = [...first.data, ...second.data].map((x: { conversation: { id: string } }) => x.conversation.id);
    expect(new Set(ids).size).toBe(5);
  });

  it('never shows another account, 401 without credentials, 422 for bad input', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    await startConversation(t(), other.owner.headers, { message: { body: 'secretword in another tenant' } });
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    expect((await search(analyst.headers, 'q=secretword')).json().data).toEqual([]);
    expect((await search(analyst.headers, 'q=secretword&type=customers')).json().data).toEqual([]);
    expect((await t().app.inject({ url: '/api/v1/search?q=x' })).statusCode).toBe(401);
    for (const q of ['', 'q=', 'q=%20%20', `q=${'x'.repeat(201)}`, 'q=x&type=users', 'q=x&limit=0', 'q=x&cursor=zzz', 'q=x%00']) {
      const res = await search(acc.owner.headers, q);
      expect(res.statusCode, q).toBe(422);
    }
  });
});

describe('GET /search?type=customers', () => {
  it('finds customers by name, email prefix or phone with their match highlighted', async () => {
    const acc = await createAccount(t());
    await startConversation(t(), acc.owner.headers, { customer: { name: 'Grace Hopper', email: 'grace@navy.example' } });
    await startConversation(t(), acc.owner.headers, { customer: { name: 'Alan Turing', email: 'alan@example.test' } });
    const byName = (await search(acc.owner.headers, 'type=customers&q=hopp')).json().data;
    expect(byName).toHaveLength(1);
    expect(byName[0]).toMatchObject({ type: 'customer', customer: { name: 'Grace Hopper', email: 'grace@navy.example' } });
    expect(byName[0].snippetHtml).toContain('<mark>Hopper</mark>');
    const byEmail = (await search(acc.owner.headers, 'type=customers&q=alan@ex')).json().data;
    expect(byEmail.map((x: { customer: { name: string } }) => x.customer.name)).toEqual(['Alan Turing']);
  });
});
