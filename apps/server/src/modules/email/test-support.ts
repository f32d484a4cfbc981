import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { and, asc, eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { uuidv7 } from 'uuidv7';
import type { TestApp } from '../../../test/harness';
import { channels, conversations, customers, emailAutomatedMessages, emailOutbox, messages } from '../../db/schema';
import { withSystem } from '../../db/tenant';

export const uniq = () => randomBytes(4).toString('hex');

/** An active email channel of the account with a fresh address. */
export async function createEmailChannel(t: TestApp, accountId: string): Promise<{ id: string; address: string }> {
  const id = uuidv7();
  const address = `support-${uniq()}@acme.test`;
  await withSystem(t.database.db, (tx) =>
    tx.insert(channels).values({ id, accountId, kind: 'email', name: 'Support', config: { address } }),
  );
  return { id, address };
}

/** A real SMTP client (nodemailer) talking to the app's intake. */
export function sendToIntake(t: TestApp, mail: Mail.Options) {
  if (!t.smtp) throw new Error('The test app has no SMTP intake (set SMTP_PORT)');
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: t.smtp.port, secure: false, ignoreTLS: true });
  return transport.sendMail(mail);
}

/** A fixture from test/fixtures with its placeholders filled in. */
export function fixture(name: string, replace: Record<string, string> = {}): Buffer {
  let raw = readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url)).toString('latin1');
  for (const [from, to] of Object.entries(replace)) raw = raw.split(from).join(to);
  return Buffer.from(raw, 'latin1');
}

/** Sends raw bytes as a stream, so the client cannot announce a SIZE and the limit is enforced at DATA. */
export function sendRaw(t: TestApp, raw: Buffer, envelope: { from: string; to: string }) {
  return sendToIntake(t, { envelope, raw: Readable.from([raw]) });
}

export async function messagesOf(t: TestApp, accountId: string) {
  return withSystem(t.database.db, (tx) =>
    tx
      .select({
        id: messages.id,
        conversationId: messages.conversationId,
        kind: messages.kind,
        body: messages.body,
        externalId: messages.externalId,
        deliveryStatus: messages.deliveryStatus,
        attachments: messages.attachments,
        metadata: messages.metadata,
      })
      .from(messages)
      .where(eq(messages.accountId, accountId))
      .orderBy(asc(messages.createdAt), asc(messages.id)),
  );
}

export async function conversationsOf(t: TestApp, accountId: string) {
  return withSystem(t.database.db, (tx) =>
    tx
      .select({ id: conversations.id, number: conversations.number, subject: conversations.subject, customerEmail: customers.email })
      .from(conversations)
      .innerJoin(customers, eq(customers.id, conversations.customerId))
      .where(eq(conversations.accountId, accountId))
      .orderBy(asc(conversations.number)),
  );
}

export async function automatedOf(t: TestApp, accountId: string) {
  return withSystem(t.database.db, (tx) => tx.select().from(emailAutomatedMessages).where(eq(emailAutomatedMessages.accountId, accountId)));
}

export async function outboxOf(t: TestApp, accountId: string, messageId: string) {
  return withSystem(t.database.db, (tx) =>
    tx
      .select()
      .from(emailOutbox)
      .where(and(eq(emailOutbox.accountId, accountId), eq(emailOutbox.messageId, messageId))),
  );
}
