import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('IMAP mailboxes on private networks', () => {
  it('refuses to connect to loopback or private hosts unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=on, and says so', async () => {
    const account = await createAccount(t());
    for (const host of ['127.0.0.1', 'localhost', '169.254.169.254']) {
      const res = await t().app.inject({
        method: 'POST',
        url: '/api/v1/channels',
        headers: account.owner.headers,
        payload: {
          kind: 'email',
          name: 'Mailbox',
          config: {
            address: `support-${uniq()}@acme.test`,
            imap: { host, port: server.port, secure: false, user: server.user, password: server.password },
          },
        },
      });
      expect(res.statusCode).toBe(201);
      const test = await t().app.inject({
        method: 'POST',
        url: `/api/v1/channels/${res.json().data.id}/email/imap/test`,
        headers: account.owner.headers,
      });
      expect(test.json().data, host).toMatchObject({
        ok: false,
        stage: 'connect',
        error: expect.stringMatching(/WEBHOOK_ALLOW_PRIVATE_NETWORKS/),
      });
    }
  });
});
