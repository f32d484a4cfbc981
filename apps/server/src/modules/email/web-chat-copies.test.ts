import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { uuidv7 } from 'uuidv7';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { createAccount, type TestAccount } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { openFrameSocket } from '../../../test/ws-frames';
import { channels, conversations, messages, webchatConnections } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import { conversationsOf, createEmailChannel, messagesOf, sendToIntake, uniq } from './test-support';

/** A real SMTP server standing in for the relay: it captures what we send. */
const captured: ParsedMail[] = [];
const relayConfig: Record<string, string> = { SMTP_PORT: '0', SMTP_HOST: '127.0.0.1' };
let relay: SMTPServer;
beforeAll(async () => {
  relay = new SMTPServer({
    authOptional: true,
    hideSTARTTLS: true,
    logger: false,
    onData(stream, _session, cb) {
      simpleParser(stream).then((m) => {
        captured.push(m);
        cb();
      }, cb);
    },
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  relayConfig.SMTP_RELAY_URL = `smtp://127.0.0.1:${(relay.server.address() as AddressInfo).port}?ignoreTLS=true`;
});
afterAll(() => new Promise<void>((resolve) => relay.close(() => resolve())));

const t = useTestApp({ config: relayConfig });
let wsBase = '';
const sockets: WebSocket[] = [];
beforeAll(async () => {
  wsBase = (await t().app.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws');
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

const mailsTo = (address: string) => captured.filter((m) => (m.to && !Array.isArray(m.to) ? m.to.value[0]?.address : null) === address);

async function webChannel(accountId: string): Promise<string> {
  const id = uuidv7();
  const config = { prechat: { enabled: true, fields: { name: 'optional', email: 'optional' } } };
  await withSystem(t().database.db, (tx) => tx.insert(channels).values({ id, accountId, kind: 'web', name: 'Chat', config }));
  return id;
}

interface Visitor {
  token: string;
  headers: { authorization: string };
}

async function visit(web: string): Promise<Visitor> {
  const res = await t().app.inject({ method: 'POST', url: `/api/v1/widget/${web}/sessions` });
  const token = res.json().data.token as string;
  return { token, headers: { authorization: `Bearer ${token}` } };
}

const widget = (web: string, v: Visitor, path: string, payload?: object) =>
  t().app.inject({
    method: payload ? 'POST' : 'GET',
    url: `/api/v1/widget/${web}/${path}`,
    headers: v.headers,
    ...(payload ? { payload } : {}),
  });

async function agentSays(acc: TestAccount, conversationId: string, body: string, kind: 'outgoing' | 'note' = 'outgoing') {
  const res = await t().app.inject({
    method: 'POST',
    url: `/api/v1/conversations/${conversationId}/messages`,
    headers: acc.owner.headers,
    payload: { kind, body },
  });
  expect(res.statusCode).toBe(201);
  await t().settle();
  return (await messagesOf(t(), acc.accountId)).find((m) => m.body === body)!;
}

const subjectOf = async (accountId: string, conversationId: string, web: string) => {
  const [c] = await withSystem(t().database.db, (tx) =>
    tx.select({ customerId: conversations.customerId }).from(conversations).where(eq(conversations.id, conversationId)),
  );
  return { kind: 'visitor' as const, accountId, customerId: c!.customerId, channelId: web };
};

/** The visitor's widget socket, once the server has recorded it. */
async function openWidget(web: string, v: Visitor): Promise<WebSocket> {
  const { socket } = await openFrameSocket(`${wsBase}/api/v1/widget/${web}/ws?token=${encodeURIComponent(v.token)}`);
  sockets.push(socket);
  await t().hub.settled();
  return socket;
}

async function closeWidget(socket: WebSocket, subject: Awaited<ReturnType<typeof subjectOf>>) {
  socket.close();
  for (let waited = 0; t().hub.socketCount(subject) > 0; waited += 10) {
    if (waited > 5000) throw new Error('the server never saw the widget close');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await t().hub.settled();
}

const checkJobs = async (accountId: string) =>
  (
    await t().database.pool.query<{ start_after: Date; state: string }>(
      `select start_after, state from pgboss.job where name = 'email.web-chat-copy-check' and data->>'accountId' = $1`,
      [accountId],
    )
  ).rows;

describe('web chat replies by email when the visitor is gone', () => {
  it('mails the reply to a visitor who used the offline form, threaded; their answer lands in the same chat', async () => {
    const acc = await createAccount(t());
    const web = await webChannel(acc.accountId);
    const email = await createEmailChannel(t(), acc.accountId);
    const v = await visit(web);
    const address = `ann-${uniq()}@customer.test`;
    const left = await widget(web, v, 'offline-messages', { body: 'Do you ship to Norway?', clientMessageId: 'c-1', email: address });
    expect(left.statusCode).toBe(201);
    const conversationId = left.json().data.message.conversationId as string;
    const [conv] = await conversationsOf(t(), acc.accountId);

    await agentSays(acc, conversationId, 'Internal: check the carrier', 'note');
    const reply = await agentSays(acc, conversationId, 'Yes, we ship to Norway.');
    expect(reply.deliveryStatus).toBe('sent');
    const [mail, ...others] = mailsTo(address);
    expect(others).toEqual([]); // the note was never mailed
    expect(mail!.from?.value[0]?.address).toBe(email.address);
    expect(mail!.messageId).toBe(reply.externalId);
    expect(mail!.messageId).toMatch(/^<[0-9a-f-]{36}@acme\.test>$/);
    expect(mail!.subject).toBe(`Re: Your request [#${conv!.number}]`);
    expect(mail!.text?.trim()).toBe('Yes, we ship to Norway.');
    const replyTo = mail!.replyTo?.value[0]?.address ?? '';
    expect(replyTo).toMatch(new RegExp(`^${email.address.split('@')[0]}\\+[a-z2-7]{20}@acme\\.test$`));

    // The visitor answers from their mail client.
    const answer = await sendToIntake(t(), {
      from: address,
      to: email.address,
      subject: mail!.subject,
      inReplyTo: mail!.messageId,
      references: [mail!.messageId!],
      text: 'Great, and how long does it take?',
    });
    expect(answer.response).toBe('250 OK: appended');
    const viaToken = await sendToIntake(t(), { from: address, to: replyTo, subject: 'no headers', text: 'And the price?' });
    expect(viaToken.response).toBe('250 OK: appended');

    expect((await conversationsOf(t(), acc.accountId)).map((c) => c.id)).toEqual([conversationId]);
    const msgs = await messagesOf(t(), acc.accountId);
    const answered = msgs.filter((m) => m.kind === 'incoming').map((m) => [m.conversationId, m.body]);
    expect(answered).toEqual([
      [conversationId, 'Do you ship to Norway?'],
      [conversationId, 'Great, and how long does it take?'],
      [conversationId, 'And the price?'],
    ]);
    // Stored with the channel they came on; the conversation stays a web chat, so the widget shows the answers.
    const channelOf = async (body: string) =>
      (
        await withSystem(t().database.db, (tx) =>
          tx
            .select({ channelId: messages.channelId })
            .from(messages)
            .where(and(eq(messages.accountId, acc.accountId), eq(messages.body, body))),
        )
      )[0]?.channelId;
    expect(await channelOf('Great, and how long does it take?')).toBe(email.id);
    expect(await channelOf('Yes, we ship to Norway.')).toBe(web);
    const [stillWeb] = await withSystem(t().database.db, (tx) =>
      tx.select({ channelId: conversations.channelId }).from(conversations).where(eq(conversations.id, conversationId)),
    );
    expect(stillWeb!.channelId).toBe(web);
    const history = (await widget(web, v, 'messages')).json().data.messages.map((m: { body: string }) => m.body);
    expect(history).toEqual(['Do you ship to Norway?', 'Yes, we ship to Norway.', 'Great, and how long does it take?', 'And the price?']);

    // The next reply goes to the inbox again, threaded after the visitor's latest mail.
    captured.length = 0;
    const next = await agentSays(acc, conversationId, 'About three days, shipping is free.');
    expect(next.deliveryStatus).toBe('sent');
    const [second] = mailsTo(address);
    expect(second!.inReplyTo).toBe(msgs.find((m) => m.body === 'And the price?')!.externalId);
    expect([second!.references].flat()).toContain(reply.externalId);
  });

  it('leaves a connected widget alone and mails a closed one only once it has been gone for five minutes', async () => {
    const acc = await createAccount(t());
    const web = await webChannel(acc.accountId);
    await createEmailChannel(t(), acc.accountId);
    const v = await visit(web);
    const address = `bo-${uniq()}@customer.test`;
    expect((await widget(web, v, 'prechat', { email: address })).statusCode).toBeLessThan(300);
    const socket = await openWidget(web, v);
    const first = await widget(web, v, 'messages', { body: 'Hi, is the shop open on Sunday?', clientMessageId: 'c-1' });
    const conversationId = first.json().data.message.conversationId as string;
    const subject = await subjectOf(acc.accountId, conversationId, web);

    const live = await agentSays(acc, conversationId, 'Yes, from ten.');
    expect(live.deliveryStatus).toBeNull();
    expect(await checkJobs(acc.accountId)).toEqual([]);

    // The tab closes; a reply a moment later waits to see whether the visitor comes back.
    await closeWidget(socket, subject);
    const closedAt = Date.now();
    const pending = await agentSays(acc, conversationId, 'Until four.');
    expect(pending.deliveryStatus).toBeNull();
    const [check] = await checkJobs(acc.accountId);
    expect(check!.start_after.getTime()).toBeGreaterThanOrEqual(closedAt + 5 * 60_000 - 2000);
    expect(check!.start_after.getTime()).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
    expect(mailsTo(address)).toEqual([]);

    // Five minutes later (made due), nobody came back: mailed; checking again sends nothing more.
    const due = () =>
      t().database.pool.query(
        `update pgboss.job set start_after = now(), state = 'created' where name = 'email.web-chat-copy-check' and data->>'accountId' = $1`,
        [acc.accountId],
      );
    await due();
    await t().settle();
    expect(mailsTo(address).map((m) => m.text?.trim())).toEqual(['Until four.']);
    await due();
    await t().settle();
    expect(mailsTo(address)).toHaveLength(1);

    // Closed long ago: mailed at once.
    await withSystem(t().database.db, (tx) =>
      tx
        .update(webchatConnections)
        .set({ closedAt: new Date(Date.now() - 10 * 60_000), seenAt: new Date(Date.now() - 10 * 60_000) })
        .where(and(eq(webchatConnections.accountId, acc.accountId), eq(webchatConnections.customerId, subject.customerId))),
    );
    const later = await agentSays(acc, conversationId, 'We are closed on holidays.');
    expect(later.deliveryStatus).toBe('sent');
    expect(mailsTo(address)).toHaveLength(2);

    // The visitor is back (and leaves again) before the check: they saw the reply in the widget.
    const back = await openWidget(web, v);
    await closeWidget(back, subject);
    const seen = await agentSays(acc, conversationId, 'Anything else?');
    const reopened = await openWidget(web, v);
    await closeWidget(reopened, subject);
    await due();
    await t().settle();
    expect(mailsTo(address)).toHaveLength(2);
    expect((await messagesOf(t(), acc.accountId)).find((m) => m.id === seen.id)!.deliveryStatus).toBeNull();
  });

  it('sends nothing without an enabled email channel, or to a visitor who left no email', async () => {
    const acc = await createAccount(t());
    const web = await webChannel(acc.accountId);
    const v = await visit(web);
    const address = `cy-${uniq()}@customer.test`;
    const left = await widget(web, v, 'offline-messages', { body: 'Call me back', clientMessageId: 'c-1', email: address });
    const conversationId = left.json().data.message.conversationId as string;
    expect((await agentSays(acc, conversationId, 'Will do.')).deliveryStatus).toBeNull();

    const email = await createEmailChannel(t(), acc.accountId);
    await withSystem(t().database.db, (tx) => tx.update(channels).set({ active: false }).where(eq(channels.id, email.id)));
    expect((await agentSays(acc, conversationId, 'Still there?')).deliveryStatus).toBeNull();

    await withSystem(t().database.db, (tx) => tx.update(channels).set({ active: true }).where(eq(channels.id, email.id)));
    const anonymous = await visit(web);
    const chat = await widget(web, anonymous, 'messages', { body: 'Hello?', clientMessageId: 'c-2' });
    expect((await agentSays(acc, chat.json().data.message.conversationId, 'Hello!')).deliveryStatus).toBeNull();
    expect(mailsTo(address)).toEqual([]);
    expect(await checkJobs(acc.accountId)).toEqual([]);
  });
});
