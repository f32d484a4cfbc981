import { and, eq } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { conversations, messages, webchatVisitors } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import { createAccount, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { createWebChannel, sendAsVisitor, startSession } from './test-support';

const t = useTestApp();
const history = (channelId: string, headers: Record<string, string> = {}) =>
  t().app.inject({ method: 'GET', url: `/api/v1/widget/${channelId}/messages`, headers });

describe('widget sessions', () => {
  it('creates an anonymous visitor with a channel_handle identity and stores only the token hash', async () => {
    const acc = await createAccount(t());
    const web = await createWebChannel(t(), acc.accountId);
    const res = await t().app.inject({ method: 'POST', url: `/api/v1/widget/${web}/sessions` });
    expect(res.statusCode).toBe(201);
    const { token, messages: list } = res.json().data;
    expect(token).toMatch(/^[\w-]{40,}$/);
    expect(list).toEqual([]);
    const rows = await withSystem(t().database.db, (tx) =>
      tx.select().from(webchatVisitors).where(eq(webchatVisitors.accountId, acc.accountId)),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token);
    const customer = await t().app.inject({ method: 'GET', url: `/api/v1/customers/${rows[0]!.customerId}`, headers: acc.owner.headers });
    expect(customer.statusCode).toBe(200);
    expect(JSON.stringify(customer.json())).toContain('channel_handle');
  });

  it('answers 404 for an unknown channel, a malformed id and a channel that is not a web channel', async () => {
    const acc = await createAccount(t());
    for (const id of ['0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', 'nope', acc.apiChannelId]) {
      const res = await t().app.inject({ method: 'POST', url: `/api/v1/widget/${id}/sessions` });
      expect(res.statusCode, id).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });
});

describe('widget messages', () => {
  it('starts a conversation on the web channel, appends to it, and stores a retried clientMessageId once', async () => {
    const acc = await createAccount(t());
    const web = await createWebChannel(t(), acc.accountId);
    const v = await startSession(t(), web);
    const first = await sendAsVisitor(t(), web, v, { body: 'Do you ship to Norway?', clientMessageId: 'm-1' });
    expect(first.statusCode).toBe(201);
    const sent = first.json().data;
    expect(sent).toMatchObject({ duplicate: false, message: { from: 'visitor', body: 'Do you ship to Norway?', clientMessageId: 'm-1' } });

    const retry = await sendAsVisitor(t(), web, v, { body: 'Do you ship to Norway?', clientMessageId: 'm-1' });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().data).toMatchObject({ duplicate: true, message: { id: sent.message.id } });

    const second = await sendAsVisitor(t(), web, v, { body: 'And to Iceland?', clientMessageId: 'm-2' });
    expect(second.statusCode).toBe(201);
    expect(second.json().data.message.conversationId).toBe(sent.message.conversationId);

    const rows = await withSystem(t().database.db, (tx) =>
      tx
        .select()
        .from(messages)
        .where(and(eq(messages.accountId, acc.accountId), eq(messages.conversationId, sent.message.conversationId))),
    );
    expect(rows.map((r) => r.clientMessageId).sort()).toEqual(['m-1', 'm-2']);
    const [conv] = await withSystem(t().database.db, (tx) =>
      tx.select().from(conversations).where(eq(conversations.id, sent.message.conversationId)),
    );
    expect(conv).toMatchObject({ channelId: web, status: 'open' });
    // The agents see an ordinary conversation with the customer's messages.
    const agent = await createUser(t(), acc.accountId, 'agent');
    const inbox = await t().app.inject({ method: 'GET', url: `/api/v1/conversations/${conv!.id}/messages`, headers: agent.headers });
    expect(inbox.statusCode).toBe(200);
    expect(inbox.json().data.map((m: { kind: string }) => m.kind)).toEqual(['incoming', 'incoming']);
  });

  it("after the visitor's profile is merged into another, the visitor continues as the survivor with its history", async () => {
    const acc = await createAccount(t());
    const web = await createWebChannel(t(), acc.accountId);
    const v = await startSession(t(), web);
    const first = await sendAsVisitor(t(), web, v, { body: 'My order is late', clientMessageId: 'a-1' });
    const conversationId = first.json().data.message.conversationId as string;
    const [visitor] = await withSystem(t().database.db, (tx) =>
      tx.select().from(webchatVisitors).where(eq(webchatVisitors.accountId, acc.accountId)),
    );
    const known = await t().app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: acc.owner.headers,
      payload: { name: 'Ann Known', email: 'ann.known@example.test' },
    });
    const survivorId = known.json().data.id as string;
    const merged = await t().app.inject({
      method: 'POST',
      url: `/api/v1/customers/${survivorId}/merge`,
      headers: acc.owner.headers,
      payload: { sourceId: visitor!.customerId },
    });
    expect(merged.statusCode, merged.body).toBe(200);

    // The same token keeps working: history intact, and the next message joins the same conversation.
    const h = await history(web, { authorization: `Bearer ${v.token}` });
    expect(h.json().data.messages.map((m: { body: string }) => m.body)).toEqual(['My order is late']);
    const next = await sendAsVisitor(t(), web, v, { body: 'Any news?', clientMessageId: 'a-2' });
    expect(next.statusCode).toBe(201);
    expect(next.json().data.message.conversationId).toBe(conversationId);
    const [after] = await withSystem(t().database.db, (tx) => tx.select().from(webchatVisitors).where(eq(webchatVisitors.id, visitor!.id)));
    expect(after!.customerId).toBe(survivorId);
  });

  it('returns the history with agent replies but never notes, and only to its own visitor', async () => {
    const acc = await createAccount(t());
    const web = await createWebChannel(t(), acc.accountId);
    const ann = await startSession(t(), web);
    const bob = await startSession(t(), web);
    const sent = (await sendAsVisitor(t(), web, ann, { body: 'Hello from Ann', clientMessageId: 'a-1' })).json().data.message;
    await sendAsVisitor(t(), web, bob, { body: 'Hello from Bob', clientMessageId: 'b-1' });
    const url = `/api/v1/conversations/${sent.conversationId}/messages`;
    expect(
      (await t().app.inject({ method: 'POST', url, headers: acc.owner.headers, payload: { kind: 'outgoing', body: 'Hi Ann!' } }))
        .statusCode,
    ).toBe(201);
    expect(
      (await t().app.inject({ method: 'POST', url, headers: acc.owner.headers, payload: { kind: 'note', body: 'VIP' } })).statusCode,
    ).toBe(201);

    const annHistory = (await history(web, ann.headers)).json().data.messages;
    expect(annHistory.map((m: { from: string; body: string }) => [m.from, m.body])).toEqual([
      ['visitor', 'Hello from Ann'],
      ['agent', 'Hi Ann!'],
    ]);
    const bobHistory = (await history(web, bob.headers)).json().data.messages;
    expect(bobHistory.map((m: { body: string }) => m.body)).toEqual(['Hello from Bob']);
  });

  it('answers 401 without a token, with a wrong token and with a token of another channel', async () => {
    const acc = await createAccount(t());
    const web = await createWebChannel(t(), acc.accountId);
    const otherWeb = await createWebChannel(t(), acc.accountId);
    const v = await startSession(t(), web);
    const body = { body: 'Hi', clientMessageId: 'x-1' };
    for (const headers of [{}, { authorization: 'Bearer not-a-token' }] as Record<string, string>[]) {
      expect((await history(web, headers)).statusCode).toBe(401);
      const res = await t().app.inject({ method: 'POST', url: `/api/v1/widget/${web}/messages`, headers, payload: body });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('unauthenticated');
    }
    expect((await history(otherWeb, v.headers)).statusCode).toBe(401);
    expect((await sendAsVisitor(t(), otherWeb, v, body)).statusCode).toBe(401);
    // A visitor token is not an API key: it opens nothing of the agents' API.
    expect((await t().app.inject({ method: 'GET', url: '/api/v1/conversations', headers: v.headers })).statusCode).toBe(401);
  });

  it('answers 422 for a bad body (nothing stored) and 404 for a non-web channel', async () => {
    const acc = await createAccount(t());
    const web = await createWebChannel(t(), acc.accountId);
    const v = await startSession(t(), web);
    for (const payload of [
      { body: '   ', clientMessageId: 'e-1' },
      { body: 'Hi' },
      { body: 'x'.repeat(5001), clientMessageId: 'e-2' },
      { body: 'Hi', clientMessageId: 'a b' },
    ]) {
      const res = await sendAsVisitor(t(), web, v, payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 60)).toBe(422);
      expect(res.json().code).toBe('validation_failed');
    }
    expect((await history(web, v.headers)).json().data.messages).toEqual([]);
    expect((await sendAsVisitor(t(), acc.apiChannelId, v, { body: 'Hi', clientMessageId: 'e-3' })).statusCode).toBe(404);
    const big = await sendAsVisitor(t(), web, v, { body: 'y'.repeat(40_000), clientMessageId: 'e-4' });
    expect(big.statusCode).toBe(413);
  });
});
