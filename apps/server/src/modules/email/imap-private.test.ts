import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import { createAccount } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { startTestImapServer, type TestImapServer } from './imap/test-imap-server';
import { uniq } from './test-support';

// Default settings: private networks are not allowed.
const t = useTestApp();

let server: TestImapServer;
beforeAll(async () => {
  server = await startTestImapServer([]);
});
afterAll(() => server.close());

describe('IMAP mailboxes and delivery URLs on private networks', () => {
  it('refuses loopback, private and metadata hosts when the channel is saved, unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=on', async () => {
    const account = await createAccount(t());
    const post = (kind: string, config: object) =>
      t().app.inject({
        method: 'POST',
        url: '/api/v1/channels',
        headers: account.owner.headers,
        payload: { kind, name: 'Private', config },
      });
    const before = (await t().app.inject({ url: '/api/v1/channels', headers: account.owner.headers })).json().data.length;
    for (const host of ['127.0.0.1', 'localhost', '169.254.169.254']) {
      const imap = { host, port: server.port, secure: false, user: server.user, password: server.password };
      const res = await post('email', { address: `support-${uniq()}@acme.test`, imap });
      expect(res.statusCode, host).toBe(422);
      expect(res.json().errors, host).toEqual([
        { path: 'body.config.imap.host', message: expect.stringMatching(/WEBHOOK_ALLOW_PRIVATE_NETWORKS=on/) },
      ]);
    }
    for (const [kind, outboundUrl] of [
      ['sms', 'http://10.1.2.3/deliver'],
      ['api', 'http://[fd00::1]:8080/replies'],
    ] as const) {
      const res = await post(kind, { outboundUrl });
      expect(res.statusCode, outboundUrl).toBe(422);
      expect(res.json().errors[0].path).toBe('body.config.outboundUrl');
    }
    expect((await t().app.inject({ url: '/api/v1/channels', headers: account.owner.headers })).json().data).toHaveLength(before);
  });

  it('still refuses to connect to a private host at poll time (a name may resolve elsewhere by then), and says so', async () => {
    const account = await createAccount(t());
    const imap = { host: '93.184.216.34', port: server.port, secure: false, user: server.user, password: server.password };
    const res = await t().app.inject({
      method: 'POST',
      url: '/api/v1/channels',
      headers: account.owner.headers,
      payload: { kind: 'email', name: 'Mailbox', config: { address: `support-${uniq()}@acme.test`, imap } },
    });
    expect(res.statusCode).toBe(201);
    const id: string = res.json().data.id;
    // As if the saved host now led inside: the check at save time has passed, the one at connect time must hold.
    await withSystem(t().database.db, async (tx) => {
      const [row] = await tx.select().from(channels).where(eq(channels.id, id));
      const config = row!.config as { imap: object };
      await tx
        .update(channels)
        .set({ config: { ...config, imap: { ...config.imap, host: '127.0.0.1' } } })
        .where(eq(channels.id, id));
    });
    const test = await t().app.inject({ method: 'POST', url: `/api/v1/channels/${id}/email/imap/test`, headers: account.owner.headers });
    expect(test.json().data).toMatchObject({ ok: false, stage: 'connect', error: expect.stringMatching(/WEBHOOK_ALLOW_PRIVATE_NETWORKS/) });
  });
});
