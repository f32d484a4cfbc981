import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { AppError } from '../../platform/errors';
import type { AppDeps } from '../../platform/module';
import { normaliseAddress, splitRecipient } from './addresses';
import { attachmentLimitsOf } from '../attachments';
import { parseMail } from './parse';
import { findEmailChannels, type EmailChannel } from './queries';
import { storeMail } from './store-mail';

export interface SmtpIntake {
  /** The port it listens on (the real one when SMTP_PORT=0). */
  port: number;
  close(): Promise<void>;
}

interface Logger {
  warn(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
}

/** An SMTP reply: smtp-server answers with `responseCode` and the message. */
function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** The recipients accepted so far in this session, one per account (a mail to two of our addresses is stored once). */
type Targets = Map<string, { channel: EmailChannel; token: string | null }>;
const targetsOf = (session: SMTPServerSession): Targets => {
  const s = session as SMTPServerSession & { touchpoint?: Targets };
  s.touchpoint ??= new Map();
  return s.touchpoint;
};

async function resolveRecipient(deps: AppDeps, raw: string): Promise<{ channel: EmailChannel; token: string | null } | null> {
  const address = normaliseAddress(raw);
  if (!address) return null;
  for (const { base, token } of splitRecipient(address)) {
    const [channel] = await findEmailChannels(deps.database.db, base);
    if (channel) return { channel, token };
  }
  return null;
}

/** Reads DATA, keeping at most `limit` bytes (smtp-server flags a larger message with sizeExceeded). */
function readData(stream: SMTPServerDataStream, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(stream.sizeExceeded || size > limit ? null : Buffer.concat(chunks)));
  });
}

/** Stores one received mail for each account it was addressed to; answers the SMTP client only after COMMIT. */
async function deliver(deps: AppDeps, log: Logger, raw: Buffer, session: SMTPServerSession): Promise<string> {
  const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
  const mail = await parseMail(raw, envelopeFrom, attachmentLimitsOf(deps.config));
  const outcomes = await storeMail(deps, mail, targetsOf(session).values());
  log.info({ messageId: mail.messageId, outcomes }, 'email received');
  return `OK: ${outcomes.join(', ')}`;
}

/** SMTP_TLS_KEY_FILE and SMTP_TLS_CERT_FILE (config.ts makes sure both or neither are set); a bad path fails boot. */
function readTlsFiles(config: AppDeps['config']): { key: Buffer; cert: Buffer } | null {
  if (!config.SMTP_TLS_KEY_FILE || !config.SMTP_TLS_CERT_FILE) return null;
  const read = (name: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new Error(`${name}: cannot read ${file} (${(err as Error).message})`);
    }
  };
  return { key: read('SMTP_TLS_KEY_FILE', config.SMTP_TLS_KEY_FILE), cert: read('SMTP_TLS_CERT_FILE', config.SMTP_TLS_CERT_FILE) };
}

/**
 * The SMTP intake (an MX for the channels' addresses): no AUTH, no relaying, STARTTLS when configured. Recipients
 * that are not an active email channel's address (or its `+token` sub-address) are refused at RCPT TO; mail over
 * SMTP_MAX_MESSAGE_BYTES at DATA.
 * A failure while storing answers 451, so the sending MTA keeps the mail and retries later.
 */
export async function startSmtpIntake(deps: AppDeps, log: Logger): Promise<SmtpIntake> {
  const limit = deps.config.SMTP_MAX_MESSAGE_BYTES;
  const tls = readTlsFiles(deps.config);
  const server = new SMTPServer({
    name: 'touchpoint',
    banner: 'Touchpoint SMTP intake',
    size: limit,
    authOptional: true,
    // STARTTLS only with our own key and certificate: otherwise smtp-server would answer it with its built-in
    // (expired) test certificate, even with the command hidden from EHLO. Opportunistic, as for any MX: senders
    // that do not ask for TLS still deliver in plain text.
    ...(tls
      ? { key: tls.key, cert: tls.cert, disabledCommands: ['AUTH'] }
      : { hideSTARTTLS: true, disabledCommands: ['AUTH', 'STARTTLS'] }),
    disableReverseLookup: true,
    logger: false,
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    onRcptTo(address, session, callback) {
      resolveRecipient(deps, address.address).then(
        (target) => {
          if (!target) return callback(smtpError(550, `5.1.1 <${address.address}>: recipient address rejected: no such mailbox here`));
          targetsOf(session).set(target.channel.accountId, targetsOf(session).get(target.channel.accountId) ?? target);
          callback();
        },
        (err: unknown) => {
          log.warn({ err }, 'email intake: recipient lookup failed');
          callback(smtpError(451, '4.3.0 Temporary failure, try again later'));
        },
      );
    },
    onData(stream, session, callback) {
      readData(stream, limit)
        .then(async (raw) => {
          if (!raw) return callback(smtpError(552, `5.3.4 Message too big: the limit is ${limit} bytes`));
          callback(null, await deliver(deps, log, raw, session));
        })
        .catch((err: unknown) => {
          if (err instanceof AppError && err.code === 'validation_failed')
            return callback(smtpError(550, `5.6.0 Message refused: ${err.message}`));
          log.warn({ err }, 'email intake: storing a mail failed');
          callback(smtpError(451, '4.3.0 Temporary failure while storing the message, try again later'));
        });
    },
  });
  server.on('error', (err) => log.warn({ err }, 'email intake: SMTP server error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(deps.config.SMTP_PORT ?? 25, deps.config.SMTP_HOST, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
