import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAccount } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { startReceiver, verifyChannelDelivery, type Received, type Receiver } from '../../../test/http-receiver';
import { DELIVERY_RETRY_LIMIT } from './outbound';
import { createMessagingChannel, messageRow, postEvent, smsEvent } from './test-support';

// The provider stand-in listens on 127.0.0.1, which deliveries may only call when private destinations are allowed.
const t = useTestApp({ config: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'on' } });

let receiver: Receiver;
let received: Received[] = [];
let base = '';

beforeAll(async () => {
  // The provider answers 200 `{ "id": "SM<n>" }` unless a test queues other answers.
  receiver = await startReceiver((n) => ({ status: 200, body: JSON.stringify({ id: `SM${n}` }) }));
  ({ received, base } = receiver);
});
afterAll(() => receiver.close());

/** How a provider verifies a delivery: the documented HMAC, written independently of the server's code. */
const verify = verifyChannelDelivery;

beforeEach(() => {
  received.length = 0;
  receiver.answers.length = 0;
});

/** An SMS conversation started by the customer, and an agent reply in it. */
async function replyTo(opts: { config?: Record<string, unknown>; kind?: 'outgoing' | 'note' } = {}) {
  const acc = await createAccount(t());
  const channel = await createMessagingChannel(t(), acc.owner.headers, { config: opts.config ?? { outboundUrl: `${base}/sms/send` } });
  const inbound = (await postEvent(t(), channel.id, channel.webhookSecret, smsEvent('Hi', '+14155550199'))).json().data;
  await t().settle();
  const res = await t().app.inject({
    method: 'POST',
    url: `/api/v1/conversations/${inbound.conversationId}/messages`,
    headers: acc.owner.headers,
    payload: { body: 'Your parcel ships today', kind: opts.kind ?? 'outgoing' },
  });
  expect(res.statusCode).toBe(201);
  return { acc, channel, conversationId: inbound.conversationId as string, messageId: res.json().data.id as string };
}

/** Retries wait for their backoff; make them due instead of sleeping. */
async function makeRetriesDue() {
  await t().database.pool.query(`update pgboss.job set start_after = now() where name = 'messaging-deliver' and state = 'retry'`);
}

async function jobState(messageId: string) {
  const { rows } = await t().database.pool.query(
    `select state from pgboss.job where name = 'messaging-deliver' and data->>'messageId' = $1`,
    [messageId],
  );
  return rows.map((r) => r.state);
}

describe('outbound delivery of replies on messaging channels', () => {
  it('POSTs the reply signed with the channel secret from a job, and records it sent with the provider id', async () => {
    const { acc, channel, conversationId, messageId } = await replyTo();
    expect((await messageRow(t(), messageId)).delivery_status).toBeNull(); // nothing happens inside the request
    await t().settle();
    expect(received).toHaveLength(1);
    const call = received[0]!;
    // The receiver verifies exactly as a provider would, with the channels module's own check.
    expect(call.headers['content-type']).toBe('application/json');
    expect(verify(channel.webhookSecret, call)).toBe(true);
    expect(verify('0'.repeat(64), call)).toBe(false);
    expect(JSON.parse(call.body)).toEqual({
      type: 'message',
      id: messageId,
      conversationId,
      to: { phone: '+14155550199' },
      text: 'Your parcel ships today',
      sentAt: expect.any(String),
    });
    expect(await messageRow(t(), messageId)).toMatchObject({ delivery_status: 'sent', external_id: 'SM1' });
    const msgs = await t().app.inject({
      method: 'GET',
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: acc.owner.headers,
    });
    expect(msgs.json().data.find((m: { id: string }) => m.id === messageId)).toMatchObject({ deliveryStatus: 'sent' });

    await t().settle(); // a second pass delivers nothing more
    expect(received).toHaveLength(1);
  });

  it('applies receipts forward only, by our id or the provider id, and ignores a redelivered receipt', async () => {
    const { channel, messageId, acc } = await replyTo();
    await t().settle();
    const post = (ev: object) => postEvent(t(), channel.id, channel.webhookSecret, ev);
    expect((await post({ type: 'status', id: 'r1', messageId: 'SM1', status: 'delivered' })).json().data).toMatchObject({
      duplicate: false,
      messageId,
      deliveryStatus: 'delivered',
    });
    expect((await post({ type: 'status', id: 'r2', messageId, status: 'read' })).json().data.deliveryStatus).toBe('read');
    // Late and repeated receipts never move it back.
    expect((await post({ type: 'status', id: 'r3', messageId: 'SM1', status: 'sent' })).json().data.deliveryStatus).toBe('read');
    expect((await post({ type: 'status', id: 'r4', messageId: 'SM1', status: 'failed', error: 'late' })).json().data.deliveryStatus).toBe(
      'read',
    );
    expect((await post({ type: 'status', id: 'r1', messageId: 'SM1', status: 'delivered' })).json().data).toMatchObject({
      duplicate: true,
    });
    expect((await post({ type: 'status', id: 'r5', messageId: 'SM404', status: 'read' })).statusCode).toBe(404);

    const { rows } = await t().database.pool.query(
      `select payload->>'from' as "from", payload->>'to' as "to", payload->'message'->>'deliveryStatus' as shown
         from events where account_id = $1 and type = 'message.delivery_status_changed' order by created_at, id`,
      [acc.accountId],
    );
    expect(rows).toEqual([
      { from: null, to: 'pending', shown: 'pending' },
      { from: 'pending', to: 'sent', shown: 'sent' },
      { from: 'sent', to: 'delivered', shown: 'delivered' },
      { from: 'delivered', to: 'read', shown: 'read' },
    ]);
  });

  it("keeps tenants apart: a receipt on another account's channel cannot touch this account's message", async () => {
    const { messageId } = await replyTo();
    await t().settle();
    const other = await createAccount(t());
    const theirs = await createMessagingChannel(t(), other.owner.headers);
    const res = await postEvent(t(), theirs.id, theirs.webhookSecret, {
      type: 'status',
      id: 'x1',
      messageId,
      status: 'failed',
      error: 'x',
    });
    expect(res.statusCode).toBe(404);
    expect((await messageRow(t(), messageId)).delivery_status).toBe('sent');
  });

  it('stores a provider failure receipt with its error', async () => {
    const { channel, messageId } = await replyTo();
    await t().settle();
    await postEvent(t(), channel.id, channel.webhookSecret, {
      type: 'status',
      id: 'f1',
      messageId,
      status: 'failed',
      error: 'Unknown number',
    });
    expect(await messageRow(t(), messageId)).toMatchObject({ delivery_status: 'failed', metadata: { deliveryError: 'Unknown number' } });
  });

  it('retries after a 500 with backoff, then records it sent', async () => {
    receiver.answers.push({ status: 500 });
    const { messageId } = await replyTo();
    await t().settle();
    expect(received).toHaveLength(1);
    expect((await messageRow(t(), messageId)).delivery_status).toBe('pending');
    expect(await jobState(messageId)).toEqual(['retry']);
    await makeRetriesDue();
    await t().settle();
    expect(received).toHaveLength(2);
    expect(received[1]!.body).toBe(received[0]!.body);
    expect(await messageRow(t(), messageId)).toMatchObject({ delivery_status: 'sent', external_id: 'SM2' });
    expect(await jobState(messageId)).toEqual(['completed']);
  });

  it('marks the message failed when the retries are exhausted', async () => {
    receiver.answers.push(...Array.from({ length: DELIVERY_RETRY_LIMIT + 1 }, () => ({ status: 503 })));
    const { messageId } = await replyTo();
    await t().settle();
    for (let i = 0; i < DELIVERY_RETRY_LIMIT; i++) {
      const row = await messageRow(t(), messageId);
      expect([row.delivery_status, row.metadata.deliveryError]).toEqual(['pending', undefined]);
      await makeRetriesDue();
      await t().settle();
    }
    expect(received).toHaveLength(DELIVERY_RETRY_LIMIT + 1);
    expect(await jobState(messageId)).toEqual(['failed']);
    const row = await messageRow(t(), messageId);
    expect(row.delivery_status).toBe('failed');
    expect(row.metadata.deliveryError).toMatch(/answered 503 \(gave up after 6 attempts\)/);
  });

  it('fails a reply at once, with the reason, when the channel has no outboundUrl; notes are never delivered', async () => {
    const { messageId } = await replyTo({ config: {} });
    await t().settle();
    expect(received).toHaveLength(0);
    expect(await messageRow(t(), messageId)).toMatchObject({
      delivery_status: 'failed',
      metadata: { deliveryError: 'The channel has no config.outboundUrl to deliver replies to' },
    });

    const note = await replyTo({ kind: 'note' });
    await t().settle();
    expect(received).toHaveLength(0);
    expect((await messageRow(t(), note.messageId)).delivery_status).toBeNull();
  });
});
