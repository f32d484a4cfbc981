import { ZEmailChannelConfig } from '@touchpoint/shared';
import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { channels, conversations, emailThreads, messages } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import { newReplyToken } from './addresses';

export interface EmailChannel {
  id: string;
  accountId: string;
  name: string;
  address: string;
  fromName: string | null;
}

/** An email channel row as the intake and the delivery job use it; null when its config has no valid address. */
export function toEmailChannel(row: { id: string; accountId: string; name: string; config: unknown }): EmailChannel | null {
  const config = ZEmailChannelConfig.safeParse(row.config);
  if (!config.success) return null;
  return {
    id: row.id,
    accountId: row.accountId,
    name: row.name,
    address: config.data.address.toLowerCase(),
    fromName: config.data.fromName ?? null,
  };
}

/**
 * The active email channels whose config.address is this address, across accounts: the SMTP session carries no
 * tenant until a recipient names one. Oldest first, so the answer is stable if two channels claim one address.
 */
export async function findEmailChannels(db: Db, address: string): Promise<EmailChannel[]> {
  const rows = await withSystem(db, (tx) =>
    tx
      .select({ id: channels.id, accountId: channels.accountId, name: channels.name, config: channels.config })
      .from(channels)
      .where(and(eq(channels.kind, 'email'), eq(channels.active, true), sql`lower(${channels.config}->>'address') = ${address}`))
      .orderBy(asc(channels.createdAt), asc(channels.id)),
  );
  return rows.map(toEmailChannel).filter((c): c is EmailChannel => c !== null);
}

/** The conversation of the newest message (ours or the customer's) whose Message-ID a reply names. */
export async function findConversationByMessageIds(tx: Tx, accountId: string, ids: string[]): Promise<string | null> {
  if (ids.length === 0) return null;
  const [row] = await tx
    .select({ conversationId: messages.conversationId })
    .from(messages)
    .where(and(eq(messages.accountId, accountId), inArray(messages.externalId, ids.slice(0, 100))))
    .orderBy(desc(messages.createdAt))
    .limit(1);
  return row?.conversationId ?? null;
}

export async function findConversationByToken(tx: Tx, accountId: string, token: string): Promise<string | null> {
  const [row] = await tx
    .select({ conversationId: emailThreads.conversationId })
    .from(emailThreads)
    .where(and(eq(emailThreads.accountId, accountId), eq(emailThreads.token, token)));
  return row?.conversationId ?? null;
}

export async function findConversationByNumber(tx: Tx, accountId: string, number: number): Promise<string | null> {
  const [row] = await tx
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), eq(conversations.number, number)));
  return row?.id ?? null;
}

/** The kind of the channel a conversation is on (null if it does not exist). */
export async function conversationChannelKind(tx: Tx, accountId: string, conversationId: string): Promise<string | null> {
  const [row] = await tx
    .select({ kind: channels.kind })
    .from(conversations)
    .innerJoin(channels, and(eq(channels.accountId, conversations.accountId), eq(channels.id, conversations.channelId)))
    .where(and(eq(conversations.accountId, accountId), eq(conversations.id, conversationId)));
  return row?.kind ?? null;
}

/** The conversation's reply token, created on first use (race-safe: the unique key keeps the first one). */
export async function ensureThreadToken(tx: Tx, accountId: string, conversationId: string): Promise<string> {
  await tx.insert(emailThreads).values({ accountId, conversationId, token: newReplyToken() }).onConflictDoNothing();
  const [row] = await tx
    .select({ token: emailThreads.token })
    .from(emailThreads)
    .where(and(eq(emailThreads.accountId, accountId), eq(emailThreads.conversationId, conversationId)));
  return row!.token;
}

/** The Message-IDs of a conversation's mail, oldest first: the References of our next reply. */
export async function threadMessageIds(tx: Tx, accountId: string, conversationId: string) {
  return tx
    .select({ id: messages.id, kind: messages.kind, externalId: messages.externalId })
    .from(messages)
    .where(and(eq(messages.accountId, accountId), eq(messages.conversationId, conversationId), isNotNull(messages.externalId)))
    .orderBy(asc(messages.createdAt), asc(messages.id));
}
