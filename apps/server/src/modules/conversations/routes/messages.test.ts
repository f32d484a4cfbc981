import { uuidv7 } from 'uuidv7';
import { describe, expect, it } from 'vitest';
import { channels } from '../../../db/schema';
import { withSystem } from '../../../db/tenant';
import { createAccount, createApiKeyHeaders, createUser } from '../../../../test/factories';
import { useTestApp } from '../../../../test/harness';
import { countsOf, eventsOf, postMessage, startConversation } from '../test-support';

const t = useTestApp();

async function addChannel(accountId: string, kind = 'email'): Promise<string> {
  const id = uuidv7();
  await withSystem(t().database.db, (tx) => tx.insert(channels).values({ id, accountId, kind, name: `${kind} channel` }));
  return id;
}

const getConversation = async (headers: Record<string, string>, id: string) =>
  (await t().app.inject({ url: `/api/v1/conversations/${id}`, headers })).json().data;

describe('POST /conversations/:id/messages', () => {
  it('an agent reply is the first response, ends the wait, and is committed before the response', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const res = await postMessage(t(), agent.headers, conversation.id, { body: 'On it!  \n Checking now.', kind: 'outgoing' });
    expect(res.statusCode).toBe(201);
    const message = res.json().data;
    expect(message).toMatchObject({ kind: 'outgoing', authorKind: 'agent', authorUserId: agent.userId, channelId: acc.apiChannelId });
    // A fresh request sees the committed message and the updated conversation.
    const list = await t().app.inject({ url: `/api/v1/conversations/${conversation.id}/messages`, headers: acc.owner.headers });
    expect(list.json().data.map((m: { id: string }) => m.id)).toContain(message.id);
    expect(await getConversation(acc.owner.headers, conversation.id)).toMatchObject({
      messageCount: 2,
      firstResponseAt: message.createdAt,
      lastAgentReplyAt: message.createdAt,
      waitingSince: null,
      lastMessagePreview: 'On it! Checking now.',
      lastActivityAt: message.createdAt,
    });
    const types = (await eventsOf(t(), acc.accountId, conversation.id)).map((e) => e.type);
    expect(types).toEqual(['conversation.created', 'message.created', 'message.created']);
  });

  it('a note is activity only: no preview, no first response, no end of the wait', async () => {
    const acc = await createAccount(t());
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const res = await postMessage(t(), acc.owner.headers, conversation.id, { body: 'Internal: VIP customer', kind: 'note' });
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toMatchObject({ kind: 'note', authorKind: 'agent' });
    const after = await getConversation(acc.owner.headers, conversation.id);
    expect(after).toMatchObject({
      messageCount: 2,
      lastMessagePreview: 'Hello, my order is late',
      firstResponseAt: null,
      waitingSince: conversation.waitingSince,
    });
  });

  it('a customer message on a resolved conversation reopens it and emits status_changed', async () => {
    const acc = await createAccount(t());
    const key = await createApiKeyHeaders(t(), acc.accountId, 'agent');
    const { conversation } = await startConversation(t(), acc.owner.headers);
    await t().app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversation.id}/status`,
      headers: acc.owner.headers,
      payload: { status: 'resolved' },
    });
    const res = await postMessage(t(), key, conversation.id, { body: 'It broke again', kind: 'incoming' });
    expect(res.json().data).toMatchObject({ authorKind: 'customer', authorCustomerId: conversation.customerId });
    expect(await getConversation(acc.owner.headers, conversation.id)).toMatchObject({
      status: 'open',
      reopenCount: 1,
      reopenedAt: res.json().data.createdAt,
    });
    const changed = (await eventsOf(t(), acc.accountId, conversation.id)).filter((e) => e.type === 'conversation.status_changed');
    expect(changed.map((e) => e.payload)).toMatchObject([
      { from: 'open', to: 'resolved' },
      { from: 'resolved', to: 'open', reason: 'customer_message' },
    ]);
  });

  it('a message on another channel of the account moves the conversation there (notes do not)', async () => {
    const acc = await createAccount(t());
    const email = await addChannel(acc.accountId);
    const sms = await addChannel(acc.accountId, 'sms');
    const { conversation } = await startConversation(t(), acc.owner.headers);
    await postMessage(t(), acc.owner.headers, conversation.id, { body: 'Continue by mail', kind: 'incoming', channelId: email });
    expect((await getConversation(acc.owner.headers, conversation.id)).channelId).toBe(email);
    const note = await postMessage(t(), acc.owner.headers, conversation.id, { body: 'noted', kind: 'note', channelId: sms });
    expect(note.json().data.channelId).toBe(sms);
    expect((await getConversation(acc.owner.headers, conversation.id)).channelId).toBe(email);
    // A reply without channelId goes out on the conversation's (new) channel.
    const reply = await postMessage(t(), acc.owner.headers, conversation.id, { body: 'Sure', kind: 'outgoing' });
    expect(reply.json().data.channelId).toBe(email);
  });

  it('is idempotent on clientMessageId: same message, 200, no second row or event', async () => {
    const acc = await createAccount(t());
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const payload = { body: 'Retried send', kind: 'outgoing', clientMessageId: 'client-42' };
    const first = await postMessage(t(), acc.owner.headers, conversation.id, payload);
    const before = await countsOf(t(), acc.accountId);
    const again = await postMessage(t(), acc.owner.headers, conversation.id, payload);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json().data).toEqual(first.json().data);
    expect(await countsOf(t(), acc.accountId)).toEqual(before);
    // Concurrent retries are serialised by the conversation lock: still one row.
    const racing = await Promise.all(
      [1, 2, 3].map(() => postMessage(t(), acc.owner.headers, conversation.id, { ...payload, clientMessageId: 'client-43' })),
    );
    expect(racing.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
    expect(new Set(racing.map((r) => r.json().data.id)).size).toBe(1);
    expect((await getConversation(acc.owner.headers, conversation.id)).messageCount).toBe(3);
  });

  it('401 without credentials, 404 for another tenant, 403 for an analyst, nothing written', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const before = await countsOf(t(), acc.accountId);
    const payload = { body: 'hi', kind: 'outgoing' };
    expect((await postMessage(t(), {}, conversation.id, payload)).statusCode).toBe(401);
    const foreign = await postMessage(t(), other.owner.headers, conversation.id, payload);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('not_found');
    for (const kind of ['outgoing', 'note', 'incoming']) {
      const res = await postMessage(t(), analyst.headers, conversation.id, { body: 'hi', kind });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('forbidden');
    }
    // A replayed key does not bypass authorization either.
    await postMessage(t(), acc.owner.headers, conversation.id, { ...payload, clientMessageId: 'k1' });
    const after = await countsOf(t(), acc.accountId);
    expect((await postMessage(t(), analyst.headers, conversation.id, { ...payload, clientMessageId: 'k1' })).statusCode).toBe(403);
    expect(after).toEqual({ ...before, messages: before.messages + 1, events: before.events + 1 });
  });

  it('422 for bad input (too long, empty, bad kind, unknown channel), nothing written', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const before = await countsOf(t(), acc.accountId);
    const bad = [
      { body: 'x'.repeat(100_001), kind: 'outgoing' },
      { body: ' \n ', kind: 'outgoing' },
      { body: 'x', kind: 'shout' },
      { body: 'x' },
      { body: 'x', kind: 'outgoing', channelId: other.apiChannelId },
      { body: 'x', kind: 'outgoing', clientMessageId: '' },
      { body: 'nul \u0000 byte', kind: 'outgoing' },
    ];
    for (const payload of bad) {
      const res = await postMessage(t(), acc.owner.headers, conversation.id, payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(await countsOf(t(), acc.accountId)).toEqual(before);
    // Exactly at the limit is fine.
    expect((await postMessage(t(), acc.owner.headers, conversation.id, { body: 'y'.repeat(100_000), kind: 'note' })).statusCode).toBe(201);
  });

  it('stores SQL injection and <script> bodies verbatim', async () => {
    const acc = await createAccount(t());
    const { conversation } = await startConversation(t(), acc.owner.headers);
    for (const body of [`'; DELETE FROM messages; --`, '<script>document.cookie</script>', 'Robert"); DROP TABLE students;-- x']) {
      const res = await postMessage(t(), acc.owner.headers, conversation.id, { body, kind: 'outgoing' });
      expect(res.json().data.body).toBe(body);
    }
    const list = await t().app.inject({ url: `/api/v1/conversations/${conversation.id}/messages`, headers: acc.owner.headers });
    expect(list.json().data.at(-1).body).toBe('Robert"); DROP TABLE students;-- x');
  });
});

describe('GET /conversations/:id/messages', () => {
  it('pages from the newest back, each page in chronological order', async () => {
    const acc = await createAccount(t());
    const { conversation, message: first } = await startConversation(t(), acc.owner.headers, { message: { body: 'm0' } });
    for (let i = 1; i <= 6; i++)
      await postMessage(t(), acc.owner.headers, conversation.id, { body: `m${i}`, kind: i % 2 ? 'outgoing' : 'incoming' });
    const url = `/api/v1/conversations/${conversation.id}/messages?limit=3`;
    const p1 = (await t().app.inject({ url, headers: acc.owner.headers })).json();
    expect(p1.data.map((m: { body: string }) => m.body)).toEqual(['m4', 'm5', 'm6']);
    const p2 = (await t().app.inject({ url: `${url}&cursor=${p1.page.nextCursor}`, headers: acc.owner.headers })).json();
    expect(p2.data.map((m: { body: string }) => m.body)).toEqual(['m1', 'm2', 'm3']);
    const p3 = (await t().app.inject({ url: `${url}&cursor=${p2.page.nextCursor}`, headers: acc.owner.headers })).json();
    expect(p3.data.map((m: { id: string }) => m.id)).toEqual([first.id]);
    expect(p3.page).toEqual({ nextCursor: null, limit: 3 });
  });

  it('401, 404 for another tenant, 422 for a bad cursor or limit; analysts may read', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const url = `/api/v1/conversations/${conversation.id}/messages`;
    expect((await t().app.inject({ url })).statusCode).toBe(401);
    expect((await t().app.inject({ url, headers: other.owner.headers })).statusCode).toBe(404);
    expect((await t().app.inject({ url: `${url}?cursor=garbage`, headers: acc.owner.headers })).statusCode).toBe(422);
    expect((await t().app.inject({ url: `${url}?limit=101`, headers: acc.owner.headers })).statusCode).toBe(422);
    const res = await t().app.inject({ url, headers: analyst.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toHaveLength(1);
  });
});
