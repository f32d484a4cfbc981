import { describe, expect, it } from 'vitest';
import { createAccount } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { conversationsOf, createEmailChannel, messagesOf, sendToIntake, uniq } from './test-support';

const t = useTestApp({ config: { SMTP_PORT: '0', SMTP_HOST: '127.0.0.1' } });

const BAD_SCHEMES = /javascript:|vbscript:|data:|alert|msgbox|<script/i;

async function receive(html: string, subject = 'Links') {
  const account = await createAccount(t());
  const channel = await createEmailChannel(t(), account.accountId);
  // html only, no text part: the body has to be made from the HTML.
  const info = await sendToIntake(t(), { from: `ann-${uniq()}@customer.test`, to: channel.address, subject, html });
  expect(info.response).toBe('250 OK: created');
  const [msg] = await messagesOf(t(), account.accountId);
  const [conv] = await conversationsOf(t(), account.accountId);
  return { account, msg: msg!, conv: conv!, email: (msg!.metadata as { email: { html: string } }).email };
}

describe('email content: an HTML-only mail', () => {
  it('gets its text body from the sanitised HTML: javascript:, data: and vbscript: links keep their text and lose their URL', async () => {
    const { account, msg, conv } = await receive(
      '<p>Your order: <a href="javascript:alert(document.cookie)">track it</a>, ' +
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">the invoice</a>, ' +
        '<a href="vbscript:msgbox(1)">the form</a>, <a href="JaVaScRiPt&#58;alert(2)">encoded</a> and ' +
        '<a href="https://shop.test/orders/42">the order page</a> or <a href="mailto:help@shop.test">mail us</a>.</p>' +
        '<script>alert("hidden")</script>',
    );
    for (const words of ['track it', 'the invoice', 'the form', 'encoded', 'the order page', '[https://shop.test/orders/42]', 'mail us'])
      expect(msg.body).toContain(words);
    expect(msg.body).not.toMatch(BAD_SCHEMES);

    // The same text is what the messages and search APIs serve.
    const headers = account.owner.headers;
    const listed = await t().app.inject({ url: `/api/v1/conversations/${conv.id}/messages`, headers });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().data[0].body).toBe(msg.body);
    expect(listed.body).not.toMatch(BAD_SCHEMES);
    const found = await t().app.inject({ url: '/api/v1/search?q=invoice', headers });
    expect(found.statusCode).toBe(200);
    expect(found.json().data.map((h: { messageId: string }) => h.messageId)).toEqual([msg.id]);
    expect(found.body).not.toMatch(BAD_SCHEMES);
  });

  it('keeps its quoted history out of the body, as for a text mail', async () => {
    const { msg, email } = await receive(
      '<p>Thanks, that worked.</p><p>On Mon, 1 Jan 2026, Shop &lt;shop@shop.test&gt; wrote:</p><blockquote>Try again</blockquote>',
    );
    expect(msg.body).toBe('Thanks, that worked.');
    expect((email as unknown as { quoted: string }).quoted).toMatch(/^On Mon, 1 Jan 2026.*wrote:.*Try again/s);
  });

  it('stores links with the documented rel and target, whatever the mail said', async () => {
    const { email } = await receive(
      '<p><a href="https://shop.test/a" target="_self" rel="opener">one</a> <a href="mailto:x@shop.test">two</a> <a href="javascript:x()">three</a></p>',
    );
    const links = email.html.match(/<a\b[^>]*>/g) ?? [];
    expect(links).toHaveLength(3);
    for (const a of links) {
      expect(a).toContain('rel="noopener noreferrer nofollow"');
      expect(a).toContain('target="_blank"');
    }
    expect(links[0]).toContain('href="https://shop.test/a"');
    expect(email.html).not.toMatch(/_self|"opener"|javascript:/);
  });
});
