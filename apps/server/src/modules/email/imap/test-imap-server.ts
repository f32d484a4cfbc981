import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';

/** The parts of hoodiecrow-imap (an in-process, scriptable IMAP server; a devDependency) the tests use. */
interface HoodiecrowMessage {
  uid: number;
  flags: string[];
  raw: string;
}
interface HoodiecrowMailbox {
  uidvalidity: number;
  messages: HoodiecrowMessage[];
}
interface Hoodiecrow {
  server: { address(): AddressInfo | string | null };
  users: Record<string, { password: string }>;
  listen(port: number, host: string, cb: () => void): void;
  close(cb: () => void): void;
  getMailbox(path: string): HoodiecrowMailbox;
  appendMessage(mailbox: string, flags: string[], internaldate: false, raw: string): unknown;
}
type Factory = (options: Record<string, unknown>) => Hoodiecrow;

const hoodiecrow = createRequire(import.meta.url)('hoodiecrow-imap') as Factory;

export interface TestImapServer {
  port: number;
  user: string;
  password: string;
  /** Adds a message as a mail server would deliver it (unseen unless flags say otherwise). */
  deliver(raw: string, flags?: string[]): void;
  messages(mailbox?: string): { uid: number; seen: boolean; subject: string | null }[];
  setPassword(password: string): void;
  setUidValidity(value: number, mailbox?: string): void;
  close(): Promise<void>;
}

const subjectOf = (raw: string) => /^subject:\s*(.*)$/im.exec(raw)?.[1]?.trim() ?? null;

/** A real IMAP server over TCP on a free loopback port, with MOVE and UIDPLUS, and a `Processed` folder. */
export async function startTestImapServer(initial: { raw: string; flags?: string[] }[] = []): Promise<TestImapServer> {
  const user = 'support@acme.test';
  const password = 'imap-secret-password-4711';
  const server = hoodiecrow({
    plugins: ['ID', 'UNSELECT', 'ENABLE', 'MOVE', 'UIDPLUS', 'SPECIAL-USE', 'NAMESPACE', 'LITERALPLUS'],
    users: { [user]: { password } },
    storage: {
      INBOX: { messages: initial.map((m) => ({ raw: m.raw, flags: m.flags ?? [] })) },
      '': { separator: '/', folders: { Processed: {} } },
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    user,
    password,
    deliver: (raw, flags = []) => void server.appendMessage('INBOX', flags, false, raw),
    messages: (mailbox = 'INBOX') =>
      server.getMailbox(mailbox).messages.map((m) => ({ uid: m.uid, seen: m.flags.includes('\\Seen'), subject: subjectOf(m.raw) })),
    setPassword: (p) => {
      server.users[user] = { password: p };
    },
    setUidValidity: (value, mailbox = 'INBOX') => {
      server.getMailbox(mailbox).uidvalidity = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
