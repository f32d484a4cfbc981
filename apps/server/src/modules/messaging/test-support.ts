import { uuidv7 } from 'uuidv7';
import type { TestApp } from '../../../test/harness';
import { signedHeaders } from '../channels';

export interface TestChannel {
  id: string;
  webhookSecret: string;
}

/** A messaging channel created through the API, as an admin would (the answer carries its webhookSecret). */
export async function createMessagingChannel(
  t: TestApp,
  headers: Record<string, string>,
  opts: { kind?: string; config?: Record<string, unknown> } = {},
): Promise<TestChannel> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/channels',
    headers,
    payload: { kind: opts.kind ?? 'sms', name: `Messaging ${uuidv7().slice(-6)}`, config: opts.config ?? {} },
  });
  if (res.statusCode !== 201) throw new Error(`channel: ${res.statusCode} ${res.body}`);
  return res.json().data as TestChannel;
}

/** POSTs an event to the messaging endpoint, signed with `secret` (or with the given headers instead). */
export function postEvent(
  t: TestApp,
  channelId: string,
  secret: string,
  payload: unknown,
  opts: { now?: number; headers?: Record<string, string> } = {},
) {
  const body = JSON.stringify(payload);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/channels/${channelId}/messaging/events`,
    headers: opts.headers ?? signedHeaders(secret, body, opts.now),
    payload: body,
  });
}

export const smsEvent = (text: string, phone = '+1 415 555 0100', id = `evt_${uuidv7()}`) => ({
  type: 'message',
  id,
  from: { phone, name: 'Ann Lee' },
  text,
});

/** Row counts of one account, to assert that a refused request stored nothing. */
export async function counts(t: TestApp, accountId: string) {
  const { rows } = await t.database.pool.query(
    `select (select count(*)::int from messages where account_id = $1) as messages,
            (select count(*)::int from conversations where account_id = $1) as conversations,
            (select count(*)::int from customers where account_id = $1) as customers,
            (select count(*)::int from messaging_receipts where account_id = $1) as receipts`,
    [accountId],
  );
  return rows[0] as { messages: number; conversations: number; customers: number; receipts: number };
}

export async function messageRow(t: TestApp, id: string) {
  const { rows } = await t.database.pool.query(
    `select id, conversation_id, channel_id, kind, body, external_id, delivery_status, metadata, attachments from messages where id = $1`,
    [id],
  );
  return rows[0] as {
    id: string;
    conversation_id: string;
    channel_id: string;
    kind: string;
    body: string;
    external_id: string | null;
    delivery_status: string | null;
    metadata: Record<string, unknown>;
    attachments: unknown[];
  };
}
