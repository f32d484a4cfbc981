import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAccount, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { describeImapError } from './imap/client';
import { startTestImapServer, type TestImapServer } from './imap/test-imap-server';
import { conversationsOf, messagesOf, uniq } from './test-support';

// The test IMAP server listens on 127.0.0.1, which mailboxes may only use when private networks are allowed.
const t = useTestApp({ config: { SMTP_MAX_MESSAGE_BYTES: String(64 * 1024), WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'on' } });

const servers: TestImapServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function mail(o: { from: string; subject: string; id: string; body: string; inReplyTo?: string; to?: string }): string {
  return [
    `From: ${o.from}`,
    `To: ${o.to ?? 'support@acme.test'}`,
    `Subject: ${o.subject}`,
    `Message-ID: ${o.id}`,
    ...(o.inReplyTo ? [`In-Reply-To: ${o.inReplyTo}`, `References: ${o.inReplyTo}`] : []),
    'Date: Mon, 30 Nov 2026 10:00:00 +0000',
    'Content-Type: text/plain; charset=utf-8',
    '',
    o.body,
    '',
  ].join('\r\n');
}
const msgId = () => `<${uniq()}@customer.test>`;

async function setup(initial: Parameters<typeof startTestImapServer>[0], imap: Record<string, unknown> = {}) {
  const server = await startTestImapServer(initial);
  servers.push(server);
  const account = await createAccount(t());
  const admin = account.owner.headers;
  const config = {
    address: `support-${uniq()}@acme.test`,
    imap: { host: '127.0.0.1', port: server.port, secure: false, user: server.user, password: server.password, ...imap },
  };
  const res = await t().app.inject({
    method: 'POST',
    url: '/api/v1/channels',
    headers: admin,
    payload: { kind: 'email', name: 'Mailbox', config },
  });
  expect(res.statusCode).toBe(201);
  expect(res.body).not.toContain(server.password);
  const channelId: string = res.json().data.id;
  const api = (path: string, method: 'GET' | 'POST' = 'POST', headers = admin) =>
    t().app.inject({ method, url: `/api/v1/channels/${channelId}/email/imap${path}`, headers });
  return { server, accountId: account.accountId, admin, channelId, api, poll: () => api('/poll') };
}

describe('email intake over IMAP', () => {
  it('turns unseen mail into conversations, threads a reply, fetches nothing twice and marks mail \\Seen once stored', async () => {
    const first = msgId();
    const { server, accountId, admin, channelId, poll } = await setup([
      { raw: mail({ from: 'Ann <ann@customer.test>', subject: 'Order late', id: first, body: 'Where is my order?' }) },
      { raw: mail({ from: 'bob@customer.test', subject: 'Invoice', id: msgId(), body: 'Send me the invoice' }) },
      // Read before the channel was set up: the first poll takes UNSEEN mail, not the mailbox's history.
      { raw: mail({ from: 'old@customer.test', subject: 'Old news', id: msgId(), body: 'Long ago' }), flags: ['\\Seen'] },
    ]);

    const r1 = await poll();
    expect(r1.statusCode).toBe(200);
    expect(r1.json().data).toMatchObject({ fetched: 2, failed: 0, status: { lastError: null, lastFetched: 2, failures: [] } });
    const convs = await conversationsOf(t(), accountId);
    expect(convs.map((c) => [c.subject, c.customerEmail])).toEqual([
      ['Order late', 'ann@customer.test'],
      ['Invoice', 'bob@customer.test'],
    ]);
    expect(server.messages().map((m) => m.seen)).toEqual([true, true, true]);

    expect((await poll()).json().data).toMatchObject({ fetched: 0, failed: 0 });

    // Ann answers; and a new mail someone already opened in webmail is still new to us (UID, not \Seen, decides).
    server.deliver(mail({ from: 'ann@customer.test', subject: 'Re: Order late', id: msgId(), body: 'Any news?', inReplyTo: first }));
    server.deliver(mail({ from: 'cy@customer.test', subject: 'Opened already', id: msgId(), body: 'Hi' }), ['\\Seen']);
    expect((await poll()).json().data).toMatchObject({ fetched: 2, failed: 0 });
    const msgs = await messagesOf(t(), accountId);
    expect(msgs.filter((m) => m.conversationId === convs[0]!.id).map((m) => m.body)).toEqual(['Where is my order?', 'Any news?']);
    expect((await conversationsOf(t(), accountId)).map((c) => c.subject)).toEqual(['Order late', 'Invoice', 'Opened already']);
    expect(server.messages().every((m) => m.seen)).toBe(true);
    expect((await poll()).json().data.fetched).toBe(0);

    // The channel's API answer shows the status to admins, never the password.
    const list = await t().app.inject({ url: '/api/v1/channels', headers: admin });
    expect(list.body).not.toContain(server.password);
    const channel = list.json().data.find((c: { id: string }) => c.id === channelId);
    expect(channel.config.imap).toMatchObject({ host: '127.0.0.1', user: server.user, hasPassword: true });
    expect(channel.config.imap).not.toHaveProperty('password');
    expect(channel.imapStatus).toMatchObject({ lastError: null, lastFetched: 0, failures: [] });
    expect(channel.imapStatus.lastPollAt).not.toBeNull();
    const agent = await createUser(t(), accountId, 'agent');
    const asAgent = await t().app.inject({ url: '/api/v1/channels', headers: agent.headers });
    expect(asAgent.body).not.toContain(server.password);
    expect(asAgent.json().data.find((c: { id: string }) => c.id === channelId)).not.toHaveProperty('imapStatus');
  });

  it('moves stored mail to moveTo', async () => {
    const { server, accountId, poll } = await setup(
      [{ raw: mail({ from: 'dee@customer.test', subject: 'Move me', id: msgId(), body: 'Hello' }) }],
      { afterProcessing: 'move', moveTo: 'Processed' },
    );
    expect((await poll()).json().data).toMatchObject({ fetched: 1, failed: 0 });
    expect(server.messages('INBOX')).toEqual([]);
    expect(server.messages('Processed')).toMatchObject([{ subject: 'Move me', seen: true }]);
    expect(await conversationsOf(t(), accountId)).toHaveLength(1);
  });

  it('reports a refused login in the status, keeps the mail, and recovers at the next poll', async () => {
    const { server, accountId, api, poll, admin } = await setup([
      { raw: mail({ from: 'eve@customer.test', subject: 'Login', id: msgId(), body: 'Hello' }) },
    ]);
    server.setPassword('rotated-by-the-provider');
    const test = await api('/test');
    expect(test.json().data).toMatchObject({ ok: false, stage: 'login', error: expect.stringMatching(/Login failed/) });
    const failed = await poll();
    expect(failed.json().data).toMatchObject({ fetched: 0, status: { lastError: expect.stringMatching(/Login failed/), lastFetched: 0 } });
    expect(failed.json().data.status.lastSuccessAt).toBeNull();
    expect(server.messages()[0]!.seen).toBe(false);
    expect(await conversationsOf(t(), accountId)).toHaveLength(0);
    const status = await api('', 'GET');
    expect(status.json().data.lastError).toMatch(/Login failed/);

    server.setPassword(server.password);
    expect((await api('/test')).json().data).toMatchObject({ ok: true, stage: null, mailbox: { path: 'INBOX', messages: 1 } });
    const ok = await poll();
    expect(ok.json().data).toMatchObject({ fetched: 1, status: { lastError: null, lastFetched: 1 } });
    expect(ok.json().data.status.lastSuccessAt).not.toBeNull();
    expect(await conversationsOf(t(), accountId)).toHaveLength(1);
    for (const res of [test, failed, status, ok, await t().app.inject({ url: '/api/v1/channels', headers: admin })])
      expect(res.body).not.toContain(server.password);
  });

  it('a one-letter password is kept out of the error without garbling its words', async () => {
    const { api } = await setup([], { password: 'a' });
    const error: string = (await api('/test')).json().data.error;
    expect(error).toMatch(/^Login failed: /);
    expect(error).not.toContain('***');
    const creds = { user: 'support@acme.test', password: 'a' };
    expect(describeImapError({ message: 'Command failed', responseText: 'Unknown command: LOGIN support@acme.test a' }, creds)).toBe(
      'Command failed: Unknown command: LOGIN support@acme.test ***',
    );
    expect(describeImapError(new Error('connect ETIMEDOUT at a relay after a while'), creds)).toBe(
      'connect ETIMEDOUT at a relay after a while',
    );
    const long = { user: 'u', password: 'imap-secret-password-4711' };
    expect(describeImapError(new Error('rejected "imap-secret-password-4711" for u'), long)).toBe('rejected "***" for u');
    const plain = Buffer.from('\0u\0imap-secret-password-4711').toString('base64');
    expect(describeImapError(new Error(`AUTHENTICATE PLAIN ${plain} failed`), long)).toBe('AUTHENTICATE PLAIN *** failed');
  });

  it('leaves a mail it cannot store unseen and reports it, without blocking the mail after it', async () => {
    const { server, accountId, poll } = await setup([
      { raw: ['Subject: no sender', 'Message-ID: <nosender@x.test>', '', 'Who am I?', ''].join('\r\n') },
      { raw: mail({ from: 'fay@customer.test', subject: 'Fine', id: msgId(), body: 'Hello' }) },
      { raw: mail({ from: 'gus@customer.test', subject: 'Huge', id: msgId(), body: 'x'.repeat(70 * 1024) }) },
    ]);
    const r = (await poll()).json().data;
    expect(r).toMatchObject({ fetched: 1, failed: 2 });
    expect(r.status.lastError).toMatch(/2 message\(s\) not handled.*UID 1: Not stored: The mail has no valid sender address/);
    expect(r.status.failures).toMatchObject([
      { uid: 1, attempts: 1, gaveUp: true },
      { uid: 3, gaveUp: true, error: expect.stringMatching(/over SMTP_MAX_MESSAGE_BYTES/) },
    ]);
    expect(server.messages().map((m) => m.seen)).toEqual([false, true, false]);
    expect((await conversationsOf(t(), accountId)).map((c) => c.subject)).toEqual(['Fine']);
    // Given up on: not retried, still listed for the admin.
    const again = (await poll()).json().data;
    expect(again).toMatchObject({ fetched: 0, failed: 0, status: { lastError: null } });
    expect(again.status.failures).toHaveLength(2);
  });

  it('falls back to UNSEEN when the mailbox UIDVALIDITY changes', async () => {
    const { server, accountId, poll } = await setup([{ raw: mail({ from: 'hal@customer.test', subject: 'One', id: msgId(), body: '1' }) }]);
    expect((await poll()).json().data.fetched).toBe(1);
    server.setUidValidity(99);
    server.deliver(mail({ from: 'hal@customer.test', subject: 'Two', id: msgId(), body: '2' }));
    expect((await poll()).json().data).toMatchObject({ fetched: 1, failed: 0 });
    expect((await conversationsOf(t(), accountId)).map((c) => c.subject)).toEqual(['One', 'Two']);
    expect((await poll()).json().data.fetched).toBe(0);
  });

  it('is polled by the job sweep when due', async () => {
    const { accountId } = await setup([{ raw: mail({ from: 'ivy@customer.test', subject: 'By job', id: msgId(), body: 'Hi' }) }]);
    // The sweep's own definition is internal to the module; enqueueing by its name runs the registered one.
    const sweep = { name: 'email-imap-sweep', schema: z.object({ slot: z.string() }), run: async () => {} };
    await t().jobs.enqueue(sweep, { slot: new Date().toISOString() });
    await t().jobs.drain();
    expect((await conversationsOf(t(), accountId)).map((c) => c.subject)).toEqual(['By job']);
  });

  it('rejects an invalid IMAP config when the channel is created, and refuses the endpoints to non-admins', async () => {
    const account = await createAccount(t());
    const post = (imap: object) =>
      t().app.inject({
        method: 'POST',
        url: '/api/v1/channels',
        headers: account.owner.headers,
        payload: { kind: 'email', name: 'Bad', config: { address: 'a@acme.test', imap } },
      });
    const base = { host: 'imap.acme.test', user: 'u', password: 'p' };
    const tooOften = await post({ ...base, pollSeconds: 5 });
    expect(tooOften.statusCode).toBe(422);
    expect(tooOften.body).toContain('config.imap.pollSeconds');
    expect((await post({ ...base, afterProcessing: 'move' })).json().errors).toMatchObject([{ path: 'body.config.imap.moveTo' }]);
    expect((await post({ host: 'imap.acme.test', user: 'u' })).statusCode).toBe(422);
    const { channelId, accountId } = await setup([]);
    const agent = await createUser(t(), accountId, 'supervisor');
    const res = await t().app.inject({ method: 'POST', url: `/api/v1/channels/${channelId}/email/imap/poll`, headers: agent.headers });
    expect(res.statusCode).toBe(403);
    const other = await t().app.inject({
      method: 'POST',
      url: `/api/v1/channels/${channelId}/email/imap/poll`,
      headers: account.owner.headers,
    });
    expect(other.statusCode).toBe(404);
  });
});
