import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createAccount, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { messages } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import { emailDeliveryJob, EMAIL_RETRY_LIMIT } from './outbound';
import {
  automatedOf,
  conversationsOf,
  createEmailChannel,
  fixture,
  messagesOf,
  outboxOf,
  sendRaw,
  sendToIntake,
  uniq,
} from './test-support';

// No SMTP_RELAY_URL: replies go to the development outbox.
const t = useTestApp({ config: { SMTP_PORT: '0', SMTP_HOST: '127.0.0.1' } });

async function setup() {
  const account = await createAccount(t());
  const channel = await createEmailChannel(t(), account.accountId);
  const send = (name: string, from: string, extra: Record<string, string> = {}) =>
    sendRaw(t(), fixture(name, { 'support@PLACEHOLDER': channel.address, ...extra }), { from, to: channel.address });
  return { account, accountId: account.accountId, channel, send };
}

/** A conversation with one customer mail and one agent reply (sent to the outbox); returns the reply. */
async function conversationWithReply(s: Awaited<ReturnType<typeof setup>>) {
  const first = `<${uniq()}@customer.test>`;
  await sendToIntake(t(), {
    from: `bob-${uniq()}@customer.test`,
    to: s.channel.address,
    subject: 'Help',
    messageId: first,
    text: 'Help me',
  });
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
  return { conv: conv!, first, reply };
}

describe('email fixtures (test/fixtures/*.eml): each is stored or neutralised, none crashes the intake', () => {
  it('broken MIME (unclosed boundary, bad base64 and quoted-printable) is accepted with what can be read', async () => {
    const s = await setup();
    const info = await s.send('broken-mime.eml', 'broken@customer.test');
    expect(info.response).toBe('250 OK: created');
    const [msg] = await messagesOf(t(), s.accountId);
    expect(msg).toMatchObject({ kind: 'incoming', externalId: '<broken-mime-1@customer.test>' });
    expect(typeof msg!.body).toBe('string');
  });

  it('8-bit headers and a NUL byte are stored without crashing the database', async () => {
    const s = await setup();
    const info = await s.send('8bit-headers.eml', 'juergen@customer.test');
    expect(info.response).toBe('250 OK: created');
    const [conv] = await conversationsOf(t(), s.accountId);
    expect(conv!.customerEmail).toBe('juergen@customer.test');
    const [msg] = await messagesOf(t(), s.accountId);
    expect(msg!.body).toContain('Meine Bestellung ist nicht angekommen.');
    expect(msg!.body).not.toContain('\u0000');
  });

  it('a large attachment within the attachment limits is stored whole and downloadable by agents', async () => {
    const s = await setup();
    expect((await s.send('huge-attachment.eml', 'big@customer.test')).response).toBe('250 OK: created');
    const [msg] = await messagesOf(t(), s.accountId);
    expect(msg!.body).toBe('The log is attached.');
    expect(msg!.attachments).toEqual([
      // mailparser refines application/octet-stream from the file name.
      { id: expect.any(String), name: 'server.log', contentType: 'text/plain', size: 150 * 1024, inline: false },
    ]);
    const id = (msg!.attachments[0] as { id: string }).id;
    const got = await t().app.inject({ url: `/api/v1/attachments/${id}`, headers: s.account.owner.headers });
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.length).toBe(150 * 1024);
  });

  it('script-laden HTML is sanitised: no scripts, styles, handlers, javascript: links, frames, forms or images', async () => {
    const s = await setup();
    await s.send('script-html.eml', 'mallory@customer.test');
    const [msg] = await messagesOf(t(), s.accountId);
    expect(msg!.body).toBe('Please look at this.');
    const html = String((msg!.metadata as { email: { html: string } }).email.html);
    expect(html).toContain('href="https://example.test/ok"');
    expect(html).not.toMatch(/<script|<style|<iframe|<form|<input|<img|<svg|\bon\w+=|javascript:|alert|tracker\.test/i);
  });

  it('an auto-reply is recorded as such, never becomes a message and never gets an answer (no mail loop)', async () => {
    const s = await setup();
    const { conv, reply } = await conversationWithReply(s);
    const before = await messagesOf(t(), s.accountId);
    const info = await s.send('auto-reply.eml', 'loop@customer.test', {
      'Subject: Out of office': `In-Reply-To: ${reply.externalId}\nSubject: Out of office`,
    });
    expect(info.response).toBe('250 OK: auto_reply');
    expect((await s.send('auto-reply.eml', 'loop@customer.test')).response).toBe('250 OK: auto_reply (duplicate)');
    await t().settle();
    expect(await messagesOf(t(), s.accountId)).toEqual(before);
    const [row] = await automatedOf(t(), s.accountId);
    expect(row).toMatchObject({
      kind: 'auto_reply',
      reason: 'Auto-Submitted: auto-replied',
      conversationId: conv.id,
      bouncedMessageId: null,
    });
  });

  it('a DSN bounce of our reply marks that reply failed and creates no message', async () => {
    const s = await setup();
    const { reply } = await conversationWithReply(s);
    expect(reply.deliveryStatus).toBe('sent');
    const info = await sendRaw(
      t(),
      fixture('dsn-bounce.eml', { 'support@PLACEHOLDER': s.channel.address, BOUNCED_MESSAGE_ID: reply.externalId! }),
      {
        from: '',
        to: s.channel.address,
      },
    );
    expect(info.response).toBe('250 OK: bounce');
    const after = await messagesOf(t(), s.accountId);
    expect(after).toHaveLength(2);
    const bounced = after.find((m) => m.id === reply.id)!;
    expect(bounced.deliveryStatus).toBe('failed');
    expect((bounced.metadata as { deliveryError: string }).deliveryError).toBe(
      'Bounced: 550 5.1.1 mailbox unavailable (nobody@customer.test)',
    );
    const [row] = await automatedOf(t(), s.accountId);
    expect(row).toMatchObject({ kind: 'bounce', bouncedMessageId: reply.id });
  });
});

describe('email out without a relay (development outbox)', () => {
  it('writes the reply to the outbox, readable by admins at GET /api/v1/email/outbox', async () => {
    const s = await setup();
    const { conv, first, reply } = await conversationWithReply(s);
    expect(reply.deliveryStatus).toBe('sent');
    const [row] = await outboxOf(t(), s.accountId, reply.id);
    expect(row).toMatchObject({ fromAddress: s.channel.address, messageIdHeader: reply.externalId, subject: `Re: Help [#${conv.number}]` });
    expect(row!.raw).toContain(`Message-ID: ${reply.externalId}`);
    expect(row!.raw).toContain(`In-Reply-To: ${first}`);

    const res = await t().app.inject({ method: 'GET', url: '/api/v1/email/outbox?limit=10', headers: s.account.owner.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual([expect.objectContaining({ messageId: reply.id, to: row!.toAddress, raw: row!.raw })]);
    const agent = await createUser(t(), s.accountId, 'agent');
    expect((await t().app.inject({ method: 'GET', url: '/api/v1/email/outbox', headers: agent.headers })).statusCode).toBe(403);
    expect((await t().app.inject({ method: 'GET', url: '/api/v1/email/outbox' })).statusCode).toBe(401);
  });

  it('retries while the relay is unreachable, and marks the reply failed on the last attempt', async () => {
    const s = await setup();
    const { reply } = await conversationWithReply(s);
    // Reset the delivered reply to pending, then run the job against a relay nobody listens on.
    const job = emailDeliveryJob({ ...t(), config: { ...t().config, SMTP_RELAY_URL: 'smtp://127.0.0.1:1' } });
    await withSystem(t().database.db, (tx) => tx.update(messages).set({ deliveryStatus: 'pending' }).where(eq(messages.id, reply.id)));
    const data = { accountId: s.accountId, messageId: reply.id };
    await expect(job.run(data, { id: 'a', retryCount: 0 })).rejects.toThrow(/ECONNREFUSED/);
    expect((await messagesOf(t(), s.accountId)).find((m) => m.id === reply.id)!.deliveryStatus).toBe('pending');
    await expect(job.run(data, { id: 'a', retryCount: EMAIL_RETRY_LIMIT })).rejects.toThrow(/ECONNREFUSED/);
    const failed = (await messagesOf(t(), s.accountId)).find((m) => m.id === reply.id)!;
    expect(failed.deliveryStatus).toBe('failed');
    expect((failed.metadata as { deliveryError: string }).deliveryError).toMatch(/gave up after 7 attempts/);
  });
});
