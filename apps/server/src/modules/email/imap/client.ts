import type { EmailImapConfig, EmailImapTestResult } from '@touchpoint/shared';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ImapFlow } from 'imapflow';
import { isPublicAddress } from '../../../platform/outbound-http';

/** The stages of a session, for answers that say what went wrong. */
export type ImapStage = 'connect' | 'login' | 'mailbox' | 'move_to';

export class ImapSessionError extends Error {
  constructor(
    readonly stage: ImapStage,
    message: string,
  ) {
    super(message);
  }
}

interface ImapErrorLike {
  message?: string;
  code?: string;
  responseText?: string;
  authenticationFailed?: boolean;
}

/** What a session logs in with; only these are ever redacted from an error. */
export interface ImapCredentials {
  user: string;
  password?: string;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Below this length a password is too likely to be an ordinary word of a message to be replaced on its own. */
const MIN_BARE_PASSWORD = 8;

/**
 * Removes the password from the places a credential travels: the arguments of an echoed LOGIN (right after the
 * user name, quoted or not), the base64 of an AUTHENTICATE PLAIN, and URL userinfo. Replacing every occurrence of
 * the password garbles messages when it is short ("a"); only a long password is also replaced as a whole word.
 */
export function redactImapCredentials(text: string, creds?: ImapCredentials): string {
  const password = creds?.password;
  if (!password) return text;
  const quoted = (s: string) => `"${s.replace(/[\\"]/g, '\\$&')}"`;
  const forms = (s: string) => [quoted(s), s].map(escapeRegExp).join('|');
  let out = text.replace(new RegExp(`((?:^|[\\s(])(?:${forms(creds.user)})\\s+)(?:${forms(password)})(?=$|[\\s)])`, 'g'), '$1***');
  const plain = Buffer.from(`\0${creds.user}\0${password}`).toString('base64');
  out = out.split(plain).join('***');
  out = out.replace(new RegExp(`(://[^\\s/@:]*:)${escapeRegExp(encodeURIComponent(password))}@`, 'g'), '$1***@');
  if (password.length >= MIN_BARE_PASSWORD) {
    out = out.replace(new RegExp(`(^|[\\s"'(\\[<:=])${escapeRegExp(password)}(?=$|[\\s"')\\]>,;.])`, 'g'), '$1***');
  }
  return out;
}

/** A one-line reason for an admin, never containing the password (imapflow errors do not, this makes sure). */
export function describeImapError(err: unknown, creds?: ImapCredentials): string {
  const e = (err ?? {}) as ImapErrorLike;
  let text: string;
  if (e.authenticationFailed) text = `Login failed: ${e.responseText ?? 'the server refused the user name or password'}`;
  else if (e.responseText) text = `${e.message ?? 'Command failed'}: ${e.responseText}`;
  else if (e.code && !(e.message ?? '').includes(e.code)) text = `${e.code}: ${e.message ?? ''}`;
  else text = e.message ?? String(err);
  return redactImapCredentials(text, creds).slice(0, 500);
}

/** Timeouts kept well under the job's lease, so a silent server cannot hold a mailbox for long. */
const TIMEOUTS = { connectionTimeout: 20_000, greetingTimeout: 15_000, socketTimeout: 60_000 };

/**
 * An open session on the configured mailbox, or an ImapSessionError saying at which stage it failed. The caller
 * must `logout()` it. Errors the client emits after connecting are kept (never thrown into the process).
 */
export async function openMailbox(
  config: EmailImapConfig,
  opts: { allowPrivate: boolean },
): Promise<{ client: ImapFlow; mailbox: { path: string; messages: number; uidValidity: string; uidNext: number } }> {
  const address = await checkedAddress(config.host, opts.allowPrivate);
  const client = new ImapFlow({
    host: address,
    // The certificate is checked against the configured name, while the connection goes to the address checked above.
    ...(isIP(config.host) ? {} : { servername: config.host }),
    port: config.port ?? (config.secure ? 993 : 143),
    secure: config.secure,
    auth: { user: config.user, pass: config.password },
    logger: false,
    disableAutoIdle: true,
    ...TIMEOUTS,
  });
  // An 'error' event without a listener would crash the server; the failing command rejects anyway.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    client.close();
    const e = err as ImapErrorLike;
    throw new ImapSessionError(e.authenticationFailed ? 'login' : 'connect', describeImapError(err, config));
  }
  try {
    const box = await client.mailboxOpen(config.mailbox);
    if (config.afterProcessing === 'move' && config.moveTo) {
      const folders = await client.list();
      if (!folders.some((f) => f.path === config.moveTo))
        throw new ImapSessionError('move_to', `The folder "${config.moveTo}" (moveTo) does not exist in the mailbox`);
    }
    return {
      client,
      mailbox: { path: box.path, messages: box.exists, uidValidity: String(box.uidValidity), uidNext: box.uidNext },
    };
  } catch (err) {
    await client.logout().catch(() => client.close());
    if (err instanceof ImapSessionError) throw err;
    throw new ImapSessionError('mailbox', `Cannot open "${config.mailbox}": ${describeImapError(err, config)}`);
  }
}

/**
 * The address to connect to: an admin's mailbox settings must not become a way to probe the server's own network
 * (loopback, private ranges, cloud metadata), so unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=on every address the name
 * resolves to must be public. The connection then goes to the checked address, not to a second lookup.
 */
async function checkedAddress(host: string, allowPrivate: boolean): Promise<string> {
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch (err) {
    throw new ImapSessionError('connect', `Cannot resolve ${host}: ${(err as Error).message}`);
  }
  if (addresses.length === 0) throw new ImapSessionError('connect', `Cannot resolve ${host}`);
  if (!allowPrivate && !addresses.every(isPublicAddress)) {
    throw new ImapSessionError(
      'connect',
      `${host} resolves to a loopback, private or reserved address; set WEBHOOK_ALLOW_PRIVATE_NETWORKS=on to allow it`,
    );
  }
  return addresses[0]!;
}

/** Connects, logs in and opens the mailbox (and checks moveTo), then logs out: what an admin runs after setup. */
export async function testImap(config: EmailImapConfig, opts: { allowPrivate: boolean }): Promise<EmailImapTestResult> {
  try {
    const { client, mailbox } = await openMailbox(config, opts);
    const capabilities = [...client.capabilities.keys()].sort();
    await client.logout().catch(() => client.close());
    return { ok: true, stage: null, error: null, mailbox, capabilities };
  } catch (err) {
    const stage = err instanceof ImapSessionError ? err.stage : 'connect';
    return { ok: false, stage, error: describeImapError(err, config), mailbox: null, capabilities: [] };
  }
}
