import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { createAccount } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { createEmailChannel, messagesOf, uniq } from './test-support';

const fixture = (name: string) => fileURLToPath(new URL(`../../../test/fixtures/${name}`, import.meta.url));
const cert = readFileSync(fixture('smtp-tls-test.crt'));

const t = useTestApp({
  config: {
    SMTP_PORT: '0',
    SMTP_HOST: '127.0.0.1',
    SMTP_TLS_KEY_FILE: fixture('smtp-tls-test.key'),
    SMTP_TLS_CERT_FILE: fixture('smtp-tls-test.crt'),
  },
});

const send = (to: string, tls: { ca?: Buffer }) =>
  nodemailer
    .createTransport({ host: '127.0.0.1', port: t().smtp!.port, secure: false, requireTLS: true, tls: { ...tls, servername: 'localhost' } })
    .sendMail({ from: `ann-${uniq()}@customer.test`, to, subject: 'Over TLS', messageId: `<${uniq()}@customer.test>`, text: 'Hello' });

describe('SMTP intake with STARTTLS (SMTP_TLS_KEY_FILE / SMTP_TLS_CERT_FILE)', () => {
  it('delivers over STARTTLS to a client that requires TLS and trusts the certificate', async () => {
    const { accountId } = await createAccount(t());
    const channel = await createEmailChannel(t(), accountId);
    const info = await send(channel.address, { ca: cert });
    expect(info.response).toBe('250 OK: created');
    expect((await messagesOf(t(), accountId)).map((m) => m.body)).toEqual(['Hello']);
  });

  it('presents the configured certificate: a client that does not trust it stops before sending anything', async () => {
    const { accountId } = await createAccount(t());
    const channel = await createEmailChannel(t(), accountId);
    const err = await send(channel.address, {}).catch((e: unknown) => e as Error & { code?: string });
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error).message)).toMatch(/self[- ]signed certificate/i);
    expect(await messagesOf(t(), accountId)).toHaveLength(0);
  });
});
