import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { TestApp } from '../../../test/harness';
import { conversations, messages } from '../../db/schema';
import { withTenant } from '../../db/tenant';

/**
 * Test-only: conversations and messages written straight to the tables, so customer tests do not depend on
 * the conversations module's commands. Not imported by production code.
 */
export async function seedConversation(
  t: TestApp,
  accountId: string,
  channelId: string,
  customerId: string,
  opts: { at?: Date; messages?: { body: string; kind?: 'incoming' | 'outgoing' | 'note'; at?: Date }[] } = {},
): Promise<{ conversationId: string; messageIds: string[] }> {
  const conversationId = uuidv7();
  const messageIds: string[] = [];
  await withTenant(t.database.db, accountId, async (tx) => {
    const [{ n }] = (
      await tx.execute<{ n: number }>(sql`select coalesce(max(number), 0) + 1 as n from conversations where account_id = ${accountId}`)
    ).rows as [{ n: number }];
    await tx
      .insert(conversations)
      .values({ id: conversationId, accountId, number: n, customerId, channelId, createdAt: opts.at ?? new Date() });
    for (const m of opts.messages ?? []) {
      const id = uuidv7();
      messageIds.push(id);
      const kind = m.kind ?? 'incoming';
      await tx.insert(messages).values({
        id,
        accountId,
        conversationId,
        channelId,
        kind,
        authorKind: kind === 'incoming' ? 'customer' : 'agent',
        authorCustomerId: kind === 'incoming' ? customerId : null,
        body: m.body,
        createdAt: m.at ?? new Date(),
      });
    }
  });
  return { conversationId, messageIds };
}

export async function countRows(t: TestApp, accountId: string, table: 'customers' | 'customer_identities' | 'events'): Promise<number> {
  return withTenant(t.database.db, accountId, async (tx) => {
    const r = await tx.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)} where account_id = ${accountId}`);
    return Number(r.rows[0]!.n);
  });
}
