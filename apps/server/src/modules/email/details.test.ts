import { describe, expect, it } from 'vitest';
import { createAccount } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { conversationsOf, createEmailChannel, fixture, messagesOf, sendRaw, sendToIntake, uniq } from './test-support';

// No SMTP_RELAY_URL: replies go to the development outbox (and turn `sent`).
const t = useTestApp({ config: { SMTP_PORT: '0', SMTP_HOST: '127.0.0.1' } });

async function setup() {
  const account = await createAccount(t());
  const channel = await createEmailChannel(t(), account.accountId);
  const get = (url: string, headers = account.owner.headers) => t().app.inject({ url: `/api/v1${url}`, headers });
  return { account, accountId: account.accountId, channel, get };
}
type Setup = Awaited<ReturnType<typeof setup>>;

const msgId = () => `<${uniq()}@customer.test>`;

/** A customer's mail, an agent's reply to it (sent to the outbox), and that reply bounced back. */
async function bouncedReply(s: Setup) {
  const from = `bob-${uniq()}@customer.test`;
  const first = msgId();
  await sendToIntake(t(), { from, to: s.channel.address, subject: 'Help', messageId: first, text: 'Help me' });
  const [conv] = await conversationsOf(t(), s.accountId);
  const res = await t().app.inject({
    method: 'POST',
    url: `/api/v1/conversations/${conv!.id}/messages`,
    headers: s.account.owner.headers,
    payload: { kind: 'outgoing', body: 'Here is help' },
  });
  expect(res.statusCode).toBe(201);
  await t().settle();
  const reply = (await messagesOf(t(), s.accountId)).find((m) => m.body === 'Here is help')!;
  const bounce = fixture('dsn-bounce.eml', { 'support@PLACEHOLDER': s.channel.address, BOUNCED_MESSAGE_ID: reply.externalId! });
  expect((await sendRaw(t(), bounce, { from: '', to: s.channel.address })).response).toBe('250 OK: bounce');
  return { conv: conv!, first, from, reply };
}

describe('GET /api/v1/conversations/:id/messages/:messageId/email', () => {
  it('shows a customer mail: headers, sanitised HTML, the quote cut off the body, and how it was threaded', async () => {
    const s = await setup();
    const from = `ann-${uniq()}@customer.test`;
    const first = msgId();
    await sendToIntake(t(), {
      from: `Ann Example <${from}>`,
      to: s.channel.address,
      cc: 'boss@customer.test',
      subject: 'Late order',
      messageId: first,
      text: 'Where is it?\n\nOn Mon, 1 Jan 2026, Shop <shop@shop.test> wrote:\n> It has shipped.',
      html: '<p onclick="x()">Where is it?</p><a href="https://shop.test/o/1">order</a><script>alert(1)</script>',
    });
    await sendToIntake(t(), { from, to: s.channel.address, subject: 'More', inReplyTo: first, references: [first], text: 'Any news?' });
    const [conv] = await conversationsOf(t(), s.accountId);
    const [m1, m2] = await messagesOf(t(), s.accountId);
    expect(m2!.conversationId).toBe(conv!.id);

    const res = await s.get(`/conversations/${conv!.id}/messages/${m1!.id}/email`);
    expect(res.statusCode).toBe(200);
    const d = res.json().data;
    expect(d).toMatchObject({
      id: m1!.id,
      conversationId: conv!.id,
      channelId: s.channel.id,
      kind: 'incoming',
      messageId: first,
      from,
      fromName: 'Ann Example',
      to: [s.channel.address],
      cc: ['boss@customer.test'],
      subject: 'Late order',
      threadedBy: null,
      unverifiedThread: null,
      attachmentsOmitted: 0,
      deliveryError: null,
      bounce: null,
    });
    expect(d.quoted).toMatch(/^On Mon, 1 Jan 2026.*wrote:\n> It has shipped\.$/s);
    expect(d.html).toContain('<a href="https://shop.test/o/1" rel="noopener noreferrer nofollow" target="_blank">order</a>');
    expect(d.html).not.toMatch(/script|onclick/);
    expect(Date.parse(d.date)).not.toBeNaN();

    const next = await s.get(`/conversations/${conv!.id}/messages/${m2!.id}/email`);
    expect(next.json().data).toMatchObject({ threadedBy: 'references', inReplyTo: [first], references: [first] });
  });

  it('shows the conversation a stranger’s reply claimed (unverified thread)', async () => {
    const s = await setup();
    const first = msgId();
    await sendToIntake(t(), {
      from: `ann-${uniq()}@customer.test`,
      to: s.channel.address,
      subject: 'Help',
      messageId: first,
      text: 'Help',
    });
    await sendToIntake(t(), { from: `mallory-${uniq()}@elsewhere.test`, to: s.channel.address, inReplyTo: first, text: 'Me too' });
    const [claimed, own] = await conversationsOf(t(), s.accountId);
    const msg = (await messagesOf(t(), s.accountId)).find((m) => m.body === 'Me too')!;
    const res = await s.get(`/conversations/${own!.id}/messages/${msg.id}/email`);
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({
      threadedBy: null,
      unverifiedThread: { conversationId: claimed!.id, number: claimed!.number, method: 'references' },
    });
  });

  it('shows why our reply failed: the delivery error and the bounce that came back', async () => {
    const s = await setup();
    const { conv, reply } = await bouncedReply(s);
    const res = await s.get(`/conversations/${conv.id}/messages/${reply.id}/email`);
    expect(res.statusCode).toBe(200);
    const d = res.json().data;
    expect(d).toMatchObject({
      kind: 'outgoing',
      messageId: reply.externalId,
      deliveryStatus: 'failed',
      deliveryError: 'Bounced: 550 5.1.1 mailbox unavailable (nobody@customer.test)',
      bounce: { kind: 'bounce', bouncedMessageId: reply.id, conversationId: conv.id, conversationNumber: conv.number },
    });
    expect(d.bounce.subject).toMatch(/^Undelivered Mail/);
  });

  it('is 401 without credentials, and 404 for a note, a message of another channel, or another account', async () => {
    const s = await setup();
    await sendToIntake(t(), { from: `ann-${uniq()}@customer.test`, to: s.channel.address, subject: 'Hi', text: 'Hi' });
    const [conv] = await conversationsOf(t(), s.accountId);
    const [mail] = await messagesOf(t(), s.accountId);
    const url = `/conversations/${conv!.id}/messages/${mail!.id}/email`;
    expect((await t().app.inject({ url: `/api/v1${url}` })).statusCode).toBe(401);

    const note = await t().app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conv!.id}/messages`,
      headers: s.account.owner.headers,
      payload: { kind: 'note', body: 'Internal' },
    });
    expect(note.statusCode).toBe(201);
    expect((await s.get(`/conversations/${conv!.id}/messages/${note.json().data.id}/email`)).statusCode).toBe(404);

    // A conversation on the account's API channel is not mail.
    const api = await t().app.inject({
      method: 'POST',
      url: '/api/v1/conversations',
      headers: s.account.owner.headers,
      payload: { customer: { email: `api-${uniq()}@customer.test` }, message: { body: 'From the API', kind: 'incoming' } },
    });
    expect(api.statusCode).toBe(201);
    const { conversation, message } = api.json().data;
    expect((await s.get(`/conversations/${conversation.id}/messages/${message.id}/email`)).statusCode).toBe(404);

    // The message under another conversation's id, and another account asking.
    expect((await s.get(`/conversations/${conversation.id}/messages/${mail!.id}/email`)).statusCode).toBe(404);
    const other = await createAccount(t());
    const res = await s.get(url, other.owner.headers);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('not_found');
  });
});

describe('GET /api/v1/channels/:id/email/automated', () => {
  it('lists the bounces and auto-replies received, newest first, by kind and conversation, a page at a time', async () => {
    const s = await setup();
    const { conv, reply } = await bouncedReply(s);
    const auto = fixture('auto-reply.eml', {
      'support@PLACEHOLDER': s.channel.address,
      'Subject: Out of office': `In-Reply-To: ${reply.externalId}\nSubject: Out of office`,
    });
    expect((await sendRaw(t(), auto, { from: 'loop@customer.test', to: s.channel.address })).response).toBe('250 OK: auto_reply');

    const base = `/channels/${s.channel.id}/email/automated`;
    const all = await s.get(base);
    expect(all.statusCode).toBe(200);
    expect(all.json().data).toEqual([
      expect.objectContaining({
        kind: 'auto_reply',
        reason: 'Auto-Submitted: auto-replied',
        subject: expect.stringMatching(/^Out of office/),
        from: 'loop@customer.test',
        conversationId: conv.id,
        bouncedMessageId: null,
      }),
      expect.objectContaining({ kind: 'bounce', conversationId: conv.id, conversationNumber: conv.number, bouncedMessageId: reply.id }),
    ]);

    const first = await s.get(`${base}?limit=1`);
    expect(first.json().data.map((a: { kind: string }) => a.kind)).toEqual(['auto_reply']);
    const cursor = first.json().page.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    const second = await s.get(`${base}?limit=1&cursor=${cursor}`);
    expect(second.json()).toMatchObject({ data: [{ kind: 'bounce' }], page: { nextCursor: null } });
    expect((await s.get(`${base}?kind=bounce`)).json().data).toHaveLength(1);
    expect((await s.get(`${base}?conversationId=${conv.id}`)).json().data).toHaveLength(2);
    expect((await s.get(`${base}?cursor=nonsense`)).statusCode).toBe(422);
  });

  it('is 401 without credentials, and 404 for another account’s channel or a channel that is not email', async () => {
    const s = await setup();
    const url = `/api/v1/channels/${s.channel.id}/email/automated`;
    expect((await t().app.inject({ url })).statusCode).toBe(401);
    const other = await createAccount(t());
    expect((await t().app.inject({ url, headers: other.owner.headers })).statusCode).toBe(404);
    expect((await s.get(`/channels/${s.account.apiChannelId}/email/automated`)).statusCode).toBe(404);
  });
});
