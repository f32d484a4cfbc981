import { uuidv7 } from 'uuidv7';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { channels, webchatVisitors } from '../../../db/schema';
import { withSystem } from '../../../db/tenant';
import { createAccount, createApiKeyHeaders, createUser, type TestUser } from '../../../../test/factories';
import { useTestApp } from '../../../../test/harness';
import { openFrameSocket } from '../../../../test/ws-frames';
import { countsOf, postMessage, startConversation } from '../test-support';

const t = useTestApp();

async function addChannel(
  accountId: string,
  kind: string,
  opts: { active?: boolean; name?: string; config?: Record<string, unknown> } = {},
): Promise<string> {
  const id = uuidv7();
  await withSystem(t().database.db, (tx) =>
    tx
      .insert(channels)
      .values({ id, accountId, kind, name: opts.name ?? `${kind} channel`, active: opts.active ?? true, config: opts.config ?? {} }),
  );
  return id;
}

const replyChannels = async (headers: Record<string, string>, id: string) =>
  t().app.inject({ url: `/api/v1/conversations/${id}/reply-channels`, headers });

describe('reply channels', () => {
  it("lists the conversation's channel first, then the enabled channels where the customer can be reached", async () => {
    const acc = await createAccount(t());
    const email = await addChannel(acc.accountId, 'email', { name: 'Support mail' });
    const sms = await addChannel(acc.accountId, 'sms');
    const web = await addChannel(acc.accountId, 'web');
    await addChannel(acc.accountId, 'voice');
    await addChannel(acc.accountId, 'email', { active: false, name: 'Old mail' });
    // An API channel delivers replies only with an outbound URL (a polling integration's channel does not).
    await addChannel(acc.accountId, 'api', { name: 'Polling' });
    const hook = await addChannel(acc.accountId, 'api', { name: 'CRM', config: { outboundUrl: 'https://crm.example.test/hook' } });
    const { conversation } = await startConversation(t(), acc.owner.headers, { customer: { name: 'Ana', email: 'ana@example.test' } });

    const res = await replyChannels(acc.owner.headers, conversation.id);
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual([
      { channelId: acc.apiChannelId, kind: 'api', name: 'API', address: null, current: true, reachable: true },
      { channelId: email, kind: 'email', name: 'Support mail', address: 'ana@example.test', current: false, reachable: true },
      { channelId: hook, kind: 'api', name: 'CRM', address: null, current: false, reachable: true },
    ]);

    // A phone number makes SMS reachable; a web chat session on the channel makes web chat reachable.
    const patched = await t().app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${conversation.customerId}`,
      headers: acc.owner.headers,
      payload: { phone: '+14155550100' },
    });
    expect(patched.statusCode).toBe(200);
    await withSystem(t().database.db, (tx) =>
      tx
        .insert(webchatVisitors)
        .values({ accountId: acc.accountId, channelId: web, customerId: conversation.customerId, tokenHash: uuidv7() }),
    );
    const kinds = (
      (await replyChannels(acc.owner.headers, conversation.id)).json().data as { channelId: string; address: string | null }[]
    ).map((c) => [c.channelId, c.address]);
    expect(kinds).toEqual([
      [acc.apiChannelId, null],
      [email, 'ana@example.test'],
      [sms, '+14155550100'],
      [web, null],
      [hook, null],
    ]);
  });

  it('a reply on another reachable channel goes out there and moves the conversation; an unreachable one is 422, nothing written', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const email = await addChannel(acc.accountId, 'email');
    const sms = await addChannel(acc.accountId, 'sms');
    const voice = await addChannel(acc.accountId, 'voice');
    const disabled = await addChannel(acc.accountId, 'api', { active: false });
    const polling = await addChannel(acc.accountId, 'api');
    const { conversation } = await startConversation(t(), acc.owner.headers, { customer: { name: 'Bo', email: 'bo@example.test' } });
    const before = await countsOf(t(), acc.accountId);
    const refused: [string, RegExp][] = [
      [sms, /no phone number or handle/],
      [voice, /cannot be sent on a voice channel/],
      [polling, /does not deliver replies/],
      [disabled, /does not exist in this account or is disabled/],
      [other.apiChannelId, /does not exist in this account or is disabled/],
    ];
    for (const [channelId, message] of refused) {
      const res = await postMessage(t(), acc.owner.headers, conversation.id, { kind: 'outgoing', body: 'Hi', channelId });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors).toEqual([{ path: 'channelId', message: expect.stringMatching(message) }]);
    }
    expect(await countsOf(t(), acc.accountId)).toEqual(before);

    const res = await postMessage(t(), acc.owner.headers, conversation.id, { kind: 'outgoing', body: 'By mail', channelId: email });
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toMatchObject({ channelId: email, kind: 'outgoing' });
    const after = await t().app.inject({ url: `/api/v1/conversations/${conversation.id}`, headers: acc.owner.headers });
    expect(after.json().data.channelId).toBe(email);
    // The conversation's own channel needs no check (the API channel here), and notes never move anything.
    const note = await postMessage(t(), acc.owner.headers, conversation.id, { kind: 'note', body: 'n', channelId: sms });
    expect(note.statusCode).toBe(201);
  });

  it('401 without credentials, 404 for another tenant', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const { conversation } = await startConversation(t(), acc.owner.headers);
    expect((await replyChannels({}, conversation.id)).statusCode).toBe(401);
    expect((await replyChannels(other.owner.headers, conversation.id)).statusCode).toBe(404);
  });
});

describe('POST /conversations/:id/viewing', () => {
  let base = '';
  const sockets: WebSocket[] = [];
  beforeAll(async () => {
    const address = await t().app.listen({ port: 0, host: '127.0.0.1' });
    base = address.replace(/^http/, 'ws');
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });

  type Frame = {
    type: string;
    topic?: string;
    event?: { id: string | null; type: string; customerId: string | null; payload: Record<string, unknown> };
  };
  async function follow(user: TestUser, topic: string) {
    const client = await openFrameSocket<Frame>(`${base}/api/v1/realtime`, { headers: { cookie: user.headers.cookie } });
    sockets.push(client.socket);
    client.socket.send(JSON.stringify({ type: 'subscribe', topic }));
    await client.next((f) => f.type === 'subscribed' && f.topic === topic, 'subscribed');
    return client;
  }
  const viewing = (headers: Record<string, string>, id: string, payload: object = {}) =>
    t().app.inject({ method: 'POST', url: `/api/v1/conversations/${id}/viewing`, headers, payload });

  it("tells the conversation's followers who has it open and who is writing a note; never stored", async () => {
    const acc = await createAccount(t());
    const dana = await createUser(t(), acc.accountId, 'agent', { name: 'Dana Viewer' });
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const owner = await follow(acc.owner, `conversation:${conversation.id}`);
    const before = await countsOf(t(), acc.accountId);

    expect((await viewing(dana.headers, conversation.id)).statusCode).toBe(204);
    const seen = await owner.next((f) => f.event?.type === 'conversation.viewing', 'viewing');
    expect(seen.event).toMatchObject({
      id: null,
      customerId: null,
      payload: { conversationId: conversation.id, userId: dana.userId, name: 'Dana Viewer', state: 'viewing' },
    });
    expect((await viewing(dana.headers, conversation.id, { state: 'typing_note' })).statusCode).toBe(204);
    expect((await owner.next((f) => f.event?.type === 'conversation.viewing', 'typing')).event!.payload.state).toBe('typing_note');
    expect((await viewing(dana.headers, conversation.id, { state: 'left' })).statusCode).toBe(204);
    expect((await owner.next((f) => f.event?.type === 'conversation.viewing', 'left')).event!.payload.state).toBe('left');
    expect(await countsOf(t(), acc.accountId)).toEqual(before);
  });

  it('401 anonymous, 403 for an API key, 404 for another tenant, 422 for an unknown state', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const { conversation } = await startConversation(t(), acc.owner.headers);
    expect((await viewing({}, conversation.id)).statusCode).toBe(401);
    expect((await viewing(await createApiKeyHeaders(t(), acc.accountId, 'admin'), conversation.id)).statusCode).toBe(403);
    expect((await viewing(other.owner.headers, conversation.id)).statusCode).toBe(404);
    expect((await viewing(acc.owner.headers, conversation.id, { state: 'dancing' })).statusCode).toBe(422);
  });
});
