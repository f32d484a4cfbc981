import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAccount } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { startReceiver, verifyChannelDelivery, type Received, type Receiver } from '../../../test/http-receiver';
import { messageRow, postEvent } from './test-support';

// The integration stand-in listens on 127.0.0.1, which deliveries may only call when private destinations are allowed.
const t = useTestApp({ config: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'on' } });

let receiver: Receiver;
let received: Received[] = [];
let base = '';

beforeAll(async () => {
  receiver = await startReceiver((n) => ({ status: 200, body: JSON.stringify({ id: `ext-${n}` }) }));
  ({ received, base } = receiver);
});
afterAll(() => receiver.close());
beforeEach(() => {
  received.length = 0;
});

/** How an integration verifies the webhook: the documented HMAC, written independently of the server's code. */
const verify = verifyChannelDelivery;

/** An api channel (with `config`), a conversation created on it through the REST API, and a reply (or note) in it. */
async function replyOnApiChannel(opts: { config?: Record<string, unknown>; kind?: 'outgoing' | 'note' } = {}) {
  const acc = await createAccount(t());
  const created = await t().app.inject({
    method: 'POST',
    url: '/api/v1/channels',
    headers: acc.owner.headers,
    payload: { kind: 'api', name: 'Shop backend', config: opts.config ?? { outboundUrl: `${base}/touchpoint/replies` } },
  });
  expect(created.statusCode).toBe(201);
  const channel = created.json().data as { id: string; webhookSecret: string };
  const conv = await t().app.inject({
    method: 'POST',
    url: '/api/v1/conversations',
    headers: acc.owner.headers,
    payload: {
      channelId: channel.id,
      customer: { name: 'Ann', email: 'ann@example.test', externalId: 'shop-42' },
      message: { body: 'Where is my parcel?' },
    },
  });
  expect(conv.statusCode).toBe(201);
  const conversation = conv.json().data.conversation as { id: string; number: number; customerId: string };
  await t().settle();
  const res = await t().app.inject({
    method: 'POST',
    url: `/api/v1/conversations/${conversation.id}/messages`,
    headers: acc.owner.headers,
    payload: { body: 'Your parcel ships today', kind: opts.kind ?? 'outgoing' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { channel, conversation, messageId: res.json().data.id as string };
}

describe('reply webhook of api channels', () => {
  it('POSTs a reply signed with the channel secret, naming the customer, and records it sent with the returned id', async () => {
    const { channel, conversation, messageId } = await replyOnApiChannel();
    await t().settle();
    expect(received).toHaveLength(1);
    const call = received[0]!;
    expect(call.url).toBe('/touchpoint/replies');
    expect(call.headers['content-type']).toBe('application/json');
    expect(verify(channel.webhookSecret, call)).toBe(true);
    expect(verify('0'.repeat(64), call)).toBe(false);
    expect(JSON.parse(call.body)).toEqual({
      type: 'message',
      id: messageId,
      conversationId: conversation.id,
      conversationNumber: conversation.number,
      customer: { id: conversation.customerId, externalId: 'shop-42', email: 'ann@example.test' },
      text: 'Your parcel ships today',
      sentAt: expect.any(String),
    });
    expect(await messageRow(t(), messageId)).toMatchObject({ delivery_status: 'sent', external_id: 'ext-1' });
    await t().settle(); // a second pass delivers nothing more
    expect(received).toHaveLength(1);
  });

  it('takes delivery receipts from the integration on the signed events endpoint', async () => {
    const { channel, messageId } = await replyOnApiChannel();
    await t().settle();
    const post = (ev: object) => postEvent(t(), channel.id, channel.webhookSecret, ev);
    expect((await post({ type: 'status', id: 'a1', messageId: 'ext-1', status: 'delivered' })).json().data).toMatchObject({
      messageId,
      deliveryStatus: 'delivered',
    });
    expect((await post({ type: 'status', id: 'a2', messageId, status: 'read' })).json().data.deliveryStatus).toBe('read');
    // Unsigned (or signed with another secret) changes nothing.
    expect((await postEvent(t(), channel.id, '0'.repeat(64), { type: 'status', id: 'a3', messageId, status: 'failed' })).statusCode).toBe(
      401,
    );
    expect((await messageRow(t(), messageId)).delivery_status).toBe('read');
  });

  it("sends a reply's files as signed, expiring links the integration can fetch, and nothing else with them", async () => {
    const acc = await createAccount(t());
    const created = await t().app.inject({
      method: 'POST',
      url: '/api/v1/channels',
      headers: acc.owner.headers,
      payload: { kind: 'api', name: 'Shop backend', config: { outboundUrl: `${base}/touchpoint/replies` } },
    });
    const channel = created.json().data as { id: string; webhookSecret: string };
    const conv = await t().app.inject({
      method: 'POST',
      url: '/api/v1/conversations',
      headers: acc.owner.headers,
      payload: { channelId: channel.id, customer: { externalId: `shop-${channel.id}` }, message: { body: 'Invoice please' } },
    });
    const conversationId = conv.json().data.conversation.id as string;
    await t().settle();
    received.length = 0;
    const pdf = Buffer.from('%PDF-1.4 invoice');
    const up = await t().app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/attachments?filename=invoice.pdf`,
      headers: { ...acc.owner.headers, 'content-type': 'application/pdf' },
      payload: pdf,
    });
    const file = up.json().data as { id: string };
    const unsent = await t().app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/attachments?filename=draft.pdf`,
      headers: { ...acc.owner.headers, 'content-type': 'application/pdf' },
      payload: pdf,
    });
    const sent = await t().app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: acc.owner.headers,
      payload: { kind: 'outgoing', body: 'Attached', attachmentIds: [file.id] },
    });
    expect(sent.statusCode).toBe(201);
    await t().settle();
    const [attachment] = JSON.parse(received[0]!.body).attachments as { id: string; url: string }[];
    expect(attachment).toMatchObject({ id: file.id, name: 'invoice.pdf', contentType: 'application/pdf', size: pdf.length });
    expect(attachment!.url).toMatch(
      new RegExp(`^/api/v1/channels/${channel.id}/attachments/${file.id}\\?expires=\\d+&signature=[0-9a-f]{64}$`),
    );
    const fetched = await t().app.inject({ url: attachment!.url });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.rawPayload.equals(pdf)).toBe(true);
    // A link is for its file only, and only while it lasts.
    const unsentId = unsent.json().data.id as string;
    expect((await t().app.inject({ url: attachment!.url.replace(file.id, unsentId) })).statusCode).toBe(404);
    expect(
      (await t().app.inject({ url: attachment!.url.replace(/signature=[0-9a-f]{64}/, `signature=${'0'.repeat(64)}`) })).statusCode,
    ).toBe(404);
    expect((await t().app.inject({ url: attachment!.url.replace(/expires=\d+/, 'expires=1000') })).statusCode).toBe(404);
  });

  it('never sends an internal note', async () => {
    const { messageId } = await replyOnApiChannel({ kind: 'note' });
    await t().settle();
    expect(received).toHaveLength(0);
    expect((await messageRow(t(), messageId)).delivery_status).toBeNull();
  });

  it('sends nothing and sets no delivery status for an api channel without outboundUrl', async () => {
    const { messageId } = await replyOnApiChannel({ config: {} });
    await t().settle();
    expect(received).toHaveLength(0);
    expect((await messageRow(t(), messageId)).delivery_status).toBeNull();
  });

  it('refuses an api channel whose outboundUrl is not http(s) with 422', async () => {
    const acc = await createAccount(t());
    for (const outboundUrl of ['ftp://example.test/x', 'not a url', 42]) {
      const res = await t().app.inject({
        method: 'POST',
        url: '/api/v1/channels',
        headers: acc.owner.headers,
        payload: { kind: 'api', name: 'Bad', config: { outboundUrl } },
      });
      expect(res.statusCode, String(outboundUrl)).toBe(422);
      expect(res.json().errors.map((e: { path: string }) => e.path)).toContain('body.config.outboundUrl');
    }
  });
});
