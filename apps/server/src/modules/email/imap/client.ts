import type { EmailImapConfig, EmailImapTestResult } from '@touchpoint/shared';
import { ImapFlow } from 'imapflow';

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

/** A one-line reason for an admin, never containing the password (imapflow errors do not, this makes sure). */
export function describeImapError(err: unknown, password?: string): string {
  const e = (err ?? {}) as ImapErrorLike;
  let text: string;
  if (e.authenticationFailed) text = `Login failed: ${e.responseText ?? 'the server refused the user name or password'}`;
  else if (e.responseText) text = `${e.message ?? 'Command failed'}: ${e.responseText}`;
  else if (e.code && !(e.message ?? '').includes(e.code)) text = `${e.code}: ${e.message ?? ''}`;
  else text = e.message ?? String(err);
  if (password) text = text.split(password).join('***');
  return text.slice(0, 500);
}

/** Timeouts kept well under the job's lease, so a silent server cannot hold a mailbox for long. */
const TIMEOUTS = { connectionTimeout: 20_000, greetingTimeout: 15_000, socketTimeout: 60_000 };

/**
 * An open session on the configured mailbox, or an ImapSessionError saying at which stage it failed. The caller
 * must `logout()` it. Errors the client emits after connecting are kept (never thrown into the process).
 */
export async function openMailbox(
  config: EmailImapConfig,
): Promise<{ client: ImapFlow; mailbox: { path: string; messages: number; uidValidity: string; uidNext: number } }> {
  const client = new ImapFlow({
    host: config.host,
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
    throw new ImapSessionError(e.authenticationFailed ? 'login' : 'connect', describeImapError(err, config.password));
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
    throw new ImapSessionError('mailbox', `Cannot open "${config.mailbox}": ${describeImapError(err, config.password)}`);
  }
}

/** Connects, logs in and opens the mailbox (and checks moveTo), then logs out: what an admin runs after setup. */
export async function testImap(config: EmailImapConfig): Promise<EmailImapTestResult> {
  try {
    const { client, mailbox } = await openMailbox(config);
    const capabilities = [...client.capabilities.keys()].sort();
    await client.logout().catch(() => client.close());
    return { ok: true, stage: null, error: null, mailbox, capabilities };
  } catch (err) {
    const stage = err instanceof ImapSessionError ? err.stage : 'connect';
    return { ok: false, stage, error: describeImapError(err, config.password), mailbox: null, capabilities: [] };
  }
}
