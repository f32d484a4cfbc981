import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { conversationsOf, createEmailChannel, messagesOf, sendToIntake, uniq } from './test-support';

/** A real SMTP server standing in for the relay: it captures what we send, or refuses recipients on request. */
const captured: ParsedMail[] = [];
const relayConfig: Record<string, string> = { SMTP_PORT: '0', SMTP_HOST: '127.0.0.1' };
let relay: SMTPServer;
beforeAll(async () => {
  relay = new SMTPServer({
    authOptional: true,
    hideSTARTTLS: true,
    logger: false,
    onRcptTo(address, _session, cb) {
      if (address.address.startsWith('refused-')) return cb(Object.assign(new Error('5.1.1 no such user'), { responseCode: 550 }));
      cb();
    },
    onData(stream, _session, cb) {
      simpleParser(stream).then((m) => {
        captured.push(m);
        cb();
      }, cb);
    },
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  // useTestApp reads this object in its own beforeAll, which runs after this one.
  relayConfig.SMTP_RELAY_URL = `smtp://127.0.0.1:${(relay.server.address() as AddressInfo).port}?ignoreTLS=true`;
});
afterAll(() => new Promise<void>((resolve) => relay.close(() => resolve())));

const t = useTestApp({ config: relayConfig });

async function reply(accountId: string, conversationId: string, headers: { cookie: string }, kind: 'outgoing' | 'note', body: string) {
  const res = await t().app.inject({
    method: 'POST',
    url: `/api/v1/conversations/${conversationId}/messages`,
    headers,
    payload: { kind, body },
  });
  expect(res.statusCode).toBe(201);
  await t().settle();
  return (await messagesOf(t(), accountId)).find((m) => m.body === body)!;
}

describe('email out (through an SMTP relay)', () => {
  it('sends an agent reply that threads in the customer’s client, and their answer threads back', async () => {
    const account = await createAccount(t());
    const channel = await createEmailChannel(t(), account.accountId);
    const from = `ann-${uniq()}@customer.test`;
    const first = `<${uniq()}@customer.test>`;
    await sendToIntake(t(), { from, to: channel.address, subject: 'Broken kettle', messageId: first, text: 'It does not boil' });
    const [conv] = await conversationsOf(t(), account.accountId);

    const note = await reply(account.accountId, conv!.id, account.owner.headers, 'note', 'Internal: check stock');
    expect(note.deliveryStatus).toBeNull();
    const sent = await reply(account.accountId, conv!.id, account.owner.headers, 'outgoing', 'We will send a new one.');
    expect(sent.deliveryStatus).toBe('sent');
    expect(captured).toHaveLength(1); // the note was never mailed

    const mail = captured[0]!;
    expect(mail.from?.value[0]?.address).toBe(channel.address);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.address : null).toBe(from);
    expect(mail.messageId).toBe(sent.externalId);
    expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@acme\.test>$/);
    expect(mail.inReplyTo).toBe(first);
    expect([mail.references].flat()).toEqual([first]);
    expect(mail.subject).toBe(`Re: Broken kettle [#${conv!.number}]`);
    expect(mail.text?.trim()).toBe('We will send a new one.');
    const replyTo = mail.replyTo?.value[0]?.address ?? '';
    expect(replyTo).toMatch(new RegExp(`^${channel.address.split('@')[0]}\\+[a-z2-7]{20}@acme\\.test$`));
    expect(mail.headers.get('auto-submitted')).toBeUndefined();

    // The customer's client answers with In-Reply-To/References naming our Message-ID.
    const answer = await sendToIntake(t(), {
      from,
      to: channel.address,
      subject: 'Re: Broken kettle',
      inReplyTo: mail.messageId,
      references: [first, mail.messageId!],
      text: 'Thanks!\n\nOn Tue, Support wrote:\n> We will send a new one.',
    });
    expect(answer.response).toBe('250 OK: appended');
    // A client that drops the headers still threads through the Reply-To token.
    const viaToken = await sendToIntake(t(), { from, to: replyTo, subject: 'no headers', text: 'One more thing' });
    expect(viaToken.response).toBe('250 OK: appended');

    const msgs = await messagesOf(t(), account.accountId);
    expect(msgs.map((m) => [m.conversationId === conv!.id, m.body])).toEqual([
      [true, 'It does not boil'],
      [true, 'Internal: check stock'],
      [true, 'We will send a new one.'],
      [true, 'Thanks!'],
      [true, 'One more thing'],
    ]);

    // The next reply answers the customer's latest mail and carries the whole thread.
    captured.length = 0;
    const second = await reply(account.accountId, conv!.id, account.owner.headers, 'outgoing', 'Shipped today.');
    const thanks = msgs.find((m) => m.body === 'Thanks!')!;
    expect(captured[0]!.inReplyTo).toBe(msgs.find((m) => m.body === 'One more thing')!.externalId);
    expect([captured[0]!.references].flat()).toEqual([first, sent.externalId, thanks.externalId, msgs[4]!.externalId]);
    expect(second.deliveryStatus).toBe('sent');
  });

  it('attaches the files of a reply to the mail', async () => {
    const account = await createAccount(t());
    const channel = await createEmailChannel(t(), account.accountId);
    await sendToIntake(t(), { from: `cy-${uniq()}@customer.test`, to: channel.address, subject: 'Invoice?', text: 'Send it please' });
    const [conv] = await conversationsOf(t(), account.accountId);
    const pdf = Buffer.from('%PDF-1.4 invoice 42');
    const up = await t().app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conv!.id}/attachments?filename=invoice-42.pdf`,
      headers: { ...account.owner.headers, 'content-type': 'application/pdf' },
      payload: pdf,
    });
    expect(up.statusCode).toBe(201);
    captured.length = 0;
    const res = await t().app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conv!.id}/messages`,
      headers: account.owner.headers,
      payload: { kind: 'outgoing', body: 'Here it is.', attachmentIds: [up.json().data.id] },
    });
    expect(res.statusCode).toBe(201);
    await t().settle();
    expect(captured).toHaveLength(1);
    expect(captured[0]!.text?.trim()).toBe('Here it is.');
    expect(captured[0]!.attachments.map((a) => [a.filename, a.contentType, a.content.equals(pdf)])).toEqual([
      ['invoice-42.pdf', 'application/pdf', true],
    ]);
  });

  it('marks the reply failed when the relay refuses the recipient (5xx, no retries)', async () => {
    const account = await createAccount(t());
    const channel = await createEmailChannel(t(), account.accountId);
    await sendToIntake(t(), { from: `refused-${uniq()}@customer.test`, to: channel.address, subject: 'Hi', text: 'Hello' });
    const [conv] = await conversationsOf(t(), account.accountId);
    const failed = await reply(account.accountId, conv!.id, account.owner.headers, 'outgoing', 'Hello back');
    expect(failed.deliveryStatus).toBe('failed');
    expect((failed.metadata as { deliveryError?: string }).deliveryError).toMatch(/relay refused it/);
  });
});
