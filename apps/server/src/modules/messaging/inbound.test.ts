import { describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { createAccount } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { signedHeaders } from '../channels';
import { counts, createMessagingChannel, messageRow, postEvent, smsEvent } from './test-support';

const t = useTestApp();

async function setup() {
  const acc = await createAccount(t());
  const channel = await createMessagingChannel(t(), acc.owner.headers, { kind: 'sms' });
  return { acc, channel };
}

describe('POST /api/v1/channels/:channelId/messaging/events — messages', () => {
  it('creates the customer (E.164 phone), a conversation and the message, with the event id as externalId', async () => {
    const { acc, channel } = await setup();
    const res = await postEvent(t(), channel.id, channel.webhookSecret, smsEvent('Where is my parcel?', '+1 (415) 555-0100', 'SM1'));
    expect(res.statusCode).toBe(200);
    const data = res.json().data;
    expect(data).toMatchObject({ duplicate: false, messageId: expect.any(String), conversationId: expect.any(String) });

    const msg = await messageRow(t(), data.messageId);
    expect(msg).toMatchObject({ kind: 'incoming', body: 'Where is my parcel?', external_id: 'SM1', channel_id: channel.id });
    const conv = await t().app.inject({ method: 'GET', url: `/api/v1/conversations/${data.conversationId}`, headers: acc.owner.headers });
    expect(conv.json().data).toMatchObject({ status: 'open', channelId: channel.id, customer: { phone: '+14155550100', name: 'Ann Lee' } });
    const { rows: events } = await t().database.pool.query(`select type from events where account_id = $1 order by created_at, id`, [
      acc.accountId,
    ]);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['customer.created', 'conversation.created', 'message.created']));
  });

  it('appends a second message from the same phone to the open conversation, and starts a new one once it is resolved', async () => {
    const { acc, channel } = await setup();
    const first = (await postEvent(t(), channel.id, channel.webhookSecret, smsEvent('Hello', '+14155550111'))).json().data;
    // The same number written nationally still is the same customer.
    const second = (await postEvent(t(), channel.id, channel.webhookSecret, smsEvent('Anyone?', '(415) 555-0111'))).json().data;
    expect(second.conversationId).toBe(first.conversationId);
    expect(await counts(t(), acc.accountId)).toMatchObject({ conversations: 1, messages: 2, customers: 1 });

    const resolved = await t().app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${first.conversationId}/status`,
      headers: acc.owner.headers,
      payload: { status: 'resolved' },
    });
    expect(resolved.statusCode).toBe(200);
    const third = (await postEvent(t(), channel.id, channel.webhookSecret, smsEvent('One more thing', '+14155550111'))).json().data;
    expect(third.conversationId).not.toBe(first.conversationId);
    expect(await counts(t(), acc.accountId)).toMatchObject({ conversations: 2, messages: 3, customers: 1 });
  });

  it('recognises a sender by a handle of this channel, and accepts attachment-only messages', async () => {
    const { acc } = await setup();
    const tg = await createMessagingChannel(t(), acc.owner.headers, { kind: 'telegram' });
    const photo = { url: 'https://cdn.example.test/p/1.jpg', contentType: 'image/jpeg', name: '1.jpg', size: 1234 };
    const a = await postEvent(t(), tg.id, tg.webhookSecret, { type: 'message', id: 'tg-1', from: { handle: ' @ann ' }, text: 'hi' });
    const b = await postEvent(t(), tg.id, tg.webhookSecret, {
      type: 'message',
      id: 'tg-2',
      from: { handle: '@ann' },
      attachments: [photo],
    });
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(b.json().data.conversationId).toBe(a.json().data.conversationId);
    expect(await messageRow(t(), b.json().data.messageId)).toMatchObject({ body: '', attachments: [photo] });
    const { rows } = await t().database.pool.query(
      `select kind, value, channel_id from customer_identities where account_id = $1 and kind = 'channel_handle'`,
      [acc.accountId],
    );
    expect(rows).toEqual([{ kind: 'channel_handle', value: '@ann', channel_id: tg.id }]);
  });

  it('stores a redelivered event once, sequentially and when two copies arrive at the same time', async () => {
    const { acc, channel } = await setup();
    const ev = smsEvent('Once only', '+14155550122');
    const first = await postEvent(t(), channel.id, channel.webhookSecret, ev);
    const again = await postEvent(t(), channel.id, channel.webhookSecret, ev);
    expect(again.statusCode).toBe(200);
    expect(again.json().data).toEqual({ ...first.json().data, duplicate: true });

    const racing = smsEvent('Twice at once', '+14155550133');
    const [x, y] = await Promise.all([
      postEvent(t(), channel.id, channel.webhookSecret, racing),
      postEvent(t(), channel.id, channel.webhookSecret, racing),
    ]);
    expect([x.statusCode, y.statusCode]).toEqual([200, 200]);
    expect([x.json().data.duplicate, y.json().data.duplicate].sort()).toEqual([false, true]);
    expect(x.json().data.messageId).toBe(y.json().data.messageId);
    expect(await counts(t(), acc.accountId)).toMatchObject({ messages: 2, conversations: 2, customers: 2 });
  });

  it('two different first messages from a new sender arriving at once start one conversation, not two', async () => {
    const { acc, channel } = await setup();
    const phone = '+14155550177';
    const answers = await Promise.all(
      ['Hi', 'Are you there?', 'Order 42'].map((text, i) =>
        postEvent(t(), channel.id, channel.webhookSecret, smsEvent(text, phone, `race-${i}`)),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((a) => a.json().data.conversationId)).size).toBe(1);
    expect(await counts(t(), acc.accountId)).toMatchObject({ conversations: 1, messages: 3, customers: 1 });
  });

  it('refuses unsigned, wrongly signed and stale requests with 401 and stores nothing', async () => {
    const { acc, channel } = await setup();
    const ev = smsEvent('Let me in', '+14155550144');
    const body = JSON.stringify(ev);
    const before = await counts(t(), acc.accountId);
    const unsigned = await postEvent(t(), channel.id, channel.webhookSecret, ev, { headers: { 'content-type': 'application/json' } });
    const wrong = await postEvent(t(), channel.id, channel.webhookSecret, ev, { headers: signedHeaders('f'.repeat(64), body) });
    const stale = await postEvent(t(), channel.id, channel.webhookSecret, ev, { now: Date.now() - 301_000 });
    for (const res of [unsigned, wrong, stale]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect(await counts(t(), acc.accountId)).toEqual(before);
  });

  it('answers 422 with the failing fields to a payload that does not match, and stores nothing', async () => {
    const { acc, channel } = await setup();
    const before = await counts(t(), acc.accountId);
    const bad = [
      { type: 'message', id: 'x1', from: { name: 'Nobody' }, text: 'no identity' },
      { type: 'message', id: 'x2', from: { phone: '+14155550155' }, text: '   ' },
      { type: 'message', id: 'x3', from: { phone: '+14155550155' }, text: 'a'.repeat(10_001) },
      {
        type: 'message',
        id: 'x4',
        from: { phone: '+14155550155' },
        attachments: [{ url: 'javascript:alert(1)', contentType: 'image/png' }],
      },
      { type: 'message', id: '', from: { phone: '+14155550155' }, text: 'no id' },
      { type: 'message', id: 'x6', from: { phone: 'not a phone' }, text: 'bad phone' },
      { type: 'reaction', id: 'x7' },
      { type: 'status', id: 'x8', messageId: 'm', status: 'exploded' },
      { type: 'message', id: 'x9', from: { phone: '+14155550155', name: 'N\u0000' }, text: 'a NUL in a name' },
    ];
    for (const payload of bad) {
      const res = await postEvent(t(), channel.id, channel.webhookSecret, payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(422);
      expect(res.json().errors?.length).toBeGreaterThan(0);
    }
    expect(
      (await postEvent(t(), channel.id, channel.webhookSecret, { type: 'message', id: 'x6', from: { phone: 'nope' }, text: 'x' })).json()
        .errors,
    ).toEqual([{ path: 'body.from.phone', message: expect.stringMatching(/phone/) }]);
    expect(await counts(t(), acc.accountId)).toEqual(before);
  });

  it('answers 404 to an unknown channel or one of another kind, and 422 to a message for an api channel', async () => {
    const { acc, channel } = await setup();
    const ev = smsEvent('Hello?', '+14155550166');
    expect((await postEvent(t(), uuidv7(), channel.webhookSecret, ev)).statusCode).toBe(404);
    expect((await postEvent(t(), 'not-a-uuid', channel.webhookSecret, ev)).statusCode).toBe(404);
    const { rows } = await t().database.pool.query(`select webhook_secret from channels where id = $1`, [acc.apiChannelId]);
    // api channels report receipts here, but record customer messages through the REST API.
    const api = await postEvent(t(), acc.apiChannelId, rows[0].webhook_secret, ev);
    expect(api.statusCode).toBe(422);
    expect(api.json().errors).toEqual([{ path: 'body.type', message: expect.stringMatching(/REST API/) }]);
    const web = await createMessagingChannel(t(), acc.owner.headers, { kind: 'web' });
    expect((await postEvent(t(), web.id, web.webhookSecret, ev)).statusCode).toBe(404);
    expect((await counts(t(), acc.accountId)).messages).toBe(0);
  });

  it("keeps tenants apart: another account's channel secret cannot post into this channel", async () => {
    const { acc, channel } = await setup();
    const other = await setup();
    const before = await counts(t(), acc.accountId);
    const res = await postEvent(t(), channel.id, other.channel.webhookSecret, smsEvent('Sneaky', '+14155550177'));
    expect(res.statusCode).toBe(401);
    expect(await counts(t(), acc.accountId)).toEqual(before);
    expect((await counts(t(), other.acc.accountId)).messages).toBe(0);
  });

  it('refuses a messaging channel whose config.outboundUrl is not an http(s) URL', async () => {
    const acc = await createAccount(t());
    const res = await t().app.inject({
      method: 'POST',
      url: '/api/v1/channels',
      headers: acc.owner.headers,
      payload: { kind: 'whatsapp', name: 'WA', config: { outboundUrl: 'ftp://example.test/x' } },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].path).toMatch(/config\.outboundUrl/);
  });
});
