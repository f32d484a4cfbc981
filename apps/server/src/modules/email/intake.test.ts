import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { createAccount } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { conversationsOf, createEmailChannel, fixture, messagesOf, sendRaw, sendToIntake, uniq } from './test-support';

const t = useTestApp({ config: { SMTP_PORT: '0', SMTP_HOST: '127.0.0.1', SMTP_MAX_MESSAGE_BYTES: String(128 * 1024) } });

async function setup() {
  const account = await createAccount(t());
  const channel = await createEmailChannel(t(), account.accountId);
  return { accountId: account.accountId, channel };
}

const customer = () => `ann-${uniq()}@customer.test`;
const msgId = () => `<${uniq()}.${uniq()}@customer.test>`;

describe('email intake (SMTP)', () => {
  it('a mail from a new sender starts a conversation, with the customer found by email, html sanitised and quote split', async () => {
    const { accountId, channel } = await setup();
    const from = customer();
    const messageId = msgId();
    const info = await sendToIntake(t(), {
      from: `Ann Example <${from}>`,
      to: channel.address,
      subject: 'My order is late',
      messageId,
      text: 'Where is my order?\n\nOn Mon, 1 Jan 2026, Shop <shop@shop.test> wrote:\n> Your order has shipped.',
      html: '<p onclick="x()">Where is my order?</p><script>alert(1)</script><a href="javascript:alert(1)">x</a>',
    });
    expect(info.response).toMatch(/^250 OK: created/);
    const [conv] = await conversationsOf(t(), accountId);
    expect(conv).toMatchObject({ subject: 'My order is late', customerEmail: from });
    const [msg] = await messagesOf(t(), accountId);
    expect(msg).toMatchObject({ kind: 'incoming', body: 'Where is my order?', externalId: messageId, conversationId: conv!.id });
    const email = (msg!.metadata as { email: Record<string, unknown> }).email;
    expect(email.quoted).toMatch(/^On Mon, 1 Jan 2026.*wrote:\n> Your order has shipped\.$/s);
    expect(email.html).toContain('Where is my order?');
    expect(String(email.html)).not.toMatch(/script|onclick|javascript:/i);
  });

  it('a redelivered Message-ID creates nothing, even when both copies race', async () => {
    const { accountId, channel } = await setup();
    const mail = { from: customer(), to: channel.address, subject: 'Twice', messageId: msgId(), text: 'Hello' };
    const racing = await Promise.all([sendToIntake(t(), mail), sendToIntake(t(), mail)]);
    expect(racing.map((i) => i.response).sort()).toEqual(['250 OK: created', '250 OK: duplicate']);
    expect((await sendToIntake(t(), mail)).response).toBe('250 OK: duplicate');
    expect(await messagesOf(t(), accountId)).toHaveLength(1);
    expect(await conversationsOf(t(), accountId)).toHaveLength(1);
  });

  it('threads by In-Reply-To and by [#n] from the customer, but never by the subject alone', async () => {
    const { accountId, channel } = await setup();
    const from = customer();
    const first = msgId();
    await sendToIntake(t(), { from, to: channel.address, subject: 'Refund', messageId: first, text: 'I want a refund' });
    const [conv] = await conversationsOf(t(), accountId);

    const byRefs = await sendToIntake(t(), {
      from,
      to: channel.address,
      subject: 'Anything',
      inReplyTo: first,
      references: [first],
      text: 'More info',
    });
    expect(byRefs.response).toBe('250 OK: appended');
    const byNumber = await sendToIntake(t(), {
      from,
      to: channel.address,
      subject: `Re: Refund [#${conv!.number}]`,
      text: 'Still waiting',
    });
    expect(byNumber.response).toBe('250 OK: appended');
    const subjectOnly = await sendToIntake(t(), { from, to: channel.address, subject: 'Re: Refund', text: 'Same subject, no references' });
    expect(subjectOnly.response).toBe('250 OK: created');

    const msgs = await messagesOf(t(), accountId);
    expect(msgs.filter((m) => m.conversationId === conv!.id).map((m) => m.body)).toEqual(['I want a refund', 'More info', 'Still waiting']);
    expect(await conversationsOf(t(), accountId)).toHaveLength(2);
  });

  it('a reply from someone other than the customer starts its own conversation, linked as unverified', async () => {
    const { accountId, channel } = await setup();
    const first = msgId();
    await sendToIntake(t(), { from: customer(), to: channel.address, subject: 'Help', messageId: first, text: 'Help me' });
    const [conv] = await conversationsOf(t(), accountId);
    const other = `mallory-${uniq()}@elsewhere.test`;
    const info = await sendToIntake(t(), {
      from: other,
      to: channel.address,
      subject: 'Re: Help',
      inReplyTo: first,
      references: [first],
      text: 'Me too',
    });
    expect(info.response).toBe('250 OK: created');
    const convs = await conversationsOf(t(), accountId);
    expect(convs).toHaveLength(2);
    expect(convs[1]!.customerEmail).toBe(other);
    const msg = (await messagesOf(t(), accountId)).find((m) => m.body === 'Me too')!;
    expect(msg.conversationId).toBe(convs[1]!.id);
    expect((msg.metadata as { email: { unverifiedThread: unknown } }).email.unverifiedThread).toEqual({
      conversationId: conv!.id,
      number: conv!.number,
      method: 'references',
    });
  });

  it('offers no STARTTLS without SMTP_TLS_KEY_FILE / SMTP_TLS_CERT_FILE (a client requiring TLS gives up)', async () => {
    const { accountId, channel } = await setup();
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: t().smtp!.port, secure: false, requireTLS: true });
    const err = await transport.sendMail({ from: customer(), to: channel.address, subject: 'x', text: 'x' }).catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(/STARTTLS/);
    expect(await messagesOf(t(), accountId)).toHaveLength(0);
  });

  it('refuses an unknown recipient at RCPT TO and stores nothing', async () => {
    const { accountId } = await setup();
    const err = await sendToIntake(t(), { from: customer(), to: `nobody-${uniq()}@acme.test`, subject: 'x', text: 'x' }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ responseCode: 550, command: 'RCPT TO' });
    expect(String((err as Error).message)).toMatch(/recipient address rejected/);
    expect(await messagesOf(t(), accountId)).toHaveLength(0);
  });

  it('refuses mail over SMTP_MAX_MESSAGE_BYTES at DATA (the huge-attachment fixture)', async () => {
    const { accountId, channel } = await setup();
    const raw = fixture('huge-attachment.eml', { 'support@PLACEHOLDER': channel.address });
    const err = await sendRaw(t(), raw, { from: 'big@customer.test', to: channel.address }).catch((e: unknown) => e);
    expect(err).toMatchObject({ responseCode: 552, command: 'DATA' });
    expect(String((err as Error).message)).toMatch(/Message too big/);
    expect(await messagesOf(t(), accountId)).toHaveLength(0);
  });
});
