import { ZConversationListPage, ZMessagePage, type ConversationListItem } from '@touchpoint/shared';
import { and, desc, eq, sql } from 'drizzle-orm';
import fastJson from 'fast-json-stringify';
import { describe, expect, it } from 'vitest';
import { createAccount, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { conversations, customers, messages } from '../../db/schema';
import { withTenant } from '../../db/tenant';
import type { Ctx } from '../../platform/context';
import { fastSchemaOf } from '../../platform/http/fast-serializer';
import { messageColumns, presentConversation, presentMessage } from './presenters';
import { customerSummaryColumns } from './queries';
import { listConversationsView } from './list-view';
import { openConversationMessages } from './read-views';
import { postMessage, startConversation } from './test-support';

const t = useTestApp();

/** The hand-written read views must answer exactly what the presenters make of the same rows (drizzle, Dates). */
describe('read views (hand-written SQL) against the presenters', () => {
  it('list and open return the presenters’ output for the same rows, microsecond timestamps included', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const h = acc.owner.headers;
    const a = await startConversation(t(), h, { customer: { name: 'Ann', email: 'ann@example.test' }, tags: ['vip'], subject: 'Late' });
    const b = await startConversation(t(), h, { customer: { name: 'Bob' }, assigneeId: agent.userId, priority: 'urgent' });
    await postMessage(t(), h, a.conversation.id, { body: 'On its way', kind: 'outgoing', clientMessageId: 'c-1' });
    await postMessage(t(), h, a.conversation.id, { body: 'internal', kind: 'note' });
    await t().app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${b.conversation.id}/status`,
      headers: h,
      payload: { status: 'resolved' },
    });
    await withTenant(t().database.db, acc.accountId, async (tx) => {
      // Microseconds that a JS Date cannot hold, and every optional field set on one row.
      await tx.execute(sql`update conversations set custom_attributes = '{"plan": "pro", "seats": 3}'::jsonb,
        snoozed_until = '2031-02-03 04:05:06.789999+00', team_id = null where id = ${a.conversation.id}`);
      await tx.execute(sql`update messages set delivery_status = 'sent', attachments = '[{"id": "x", "name": "a.pdf"}]'::jsonb,
        created_at = created_at + interval '0.000999 seconds' where conversation_id = ${a.conversation.id} and kind = 'outgoing'`);
    });
    const ctx = { accountId: acc.accountId, actor: acc.owner.actor } as unknown as Ctx;

    const { view, presented, viewMessages, presentedMessages } = await withTenant(t().database.db, acc.accountId, async (tx) => {
      const view = await listConversationsView(tx, ctx, { limit: 25 });
      const rows = await tx
        .select({ conversation: conversations, customer: customerSummaryColumns })
        .from(conversations)
        .leftJoin(customers, and(eq(customers.id, conversations.customerId), eq(customers.accountId, conversations.accountId)))
        .where(eq(conversations.accountId, acc.accountId))
        .orderBy(desc(conversations.lastActivityAt), desc(conversations.id));
      const viewMessages = await openConversationMessages(tx, acc.accountId, a.conversation.id, { limit: 50 });
      const messageRows = await tx
        .select(messageColumns)
        .from(messages)
        .where(and(eq(messages.accountId, acc.accountId), eq(messages.conversationId, a.conversation.id)))
        .orderBy(messages.createdAt, messages.id);
      return {
        view,
        presented: rows.map((r) => presentConversation(r.conversation, r.customer)),
        viewMessages,
        presentedMessages: messageRows.map(presentMessage),
      };
    });
    expect(view.items).toHaveLength(2);
    // The inbox's own fields on top of the conversation (checked in routes/inbox.test.ts).
    const base = ({ channel, sla, readAt, unread, ...c }: ConversationListItem) => {
      expect(channel).toEqual({ id: acc.apiChannelId, kind: 'api', name: 'API' });
      expect([sla, readAt, unread]).toEqual([{ state: null, target: null, dueAt: null }, null, true]);
      return c;
    };
    expect(view.items.map(base)).toEqual(presented);
    expect(view.items.find((c) => c.id === a.conversation.id)!.snoozedUntil).toBe('2031-02-03T04:05:06.789Z'); // truncated like a Date, not rounded
    expect(view.subjects).toEqual(presented.map((c) => ({ id: c.id, accountId: acc.accountId, customerId: c.customerId })));
    expect(viewMessages.items).toHaveLength(3);
    expect(viewMessages.items).toEqual(presentedMessages);
    expect(viewMessages.nextCursor).toBeNull();

    // What goes on the wire: fast-json-stringify of the view equals zod's encoding of the presenters' output.
    const page = { nextCursor: null, limit: 25 };
    const fastList = fastJson(fastSchemaOf(ZConversationListPage) as never) as (d: unknown) => string;
    const fastMessages = fastJson(fastSchemaOf(ZMessagePage) as never) as (d: unknown) => string;
    expect(JSON.parse(fastList({ data: view.items, page }))).toEqual(ZConversationListPage.encode({ data: view.items, page }));
    expect(JSON.parse(fastMessages({ data: viewMessages.items, page }))).toEqual(ZMessagePage.encode({ data: presentedMessages, page }));
  });

  it('open: 404 for a conversation of another account, an empty page for one without messages before the cursor', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const c = await startConversation(t(), acc.owner.headers);
    await expect(
      withTenant(t().database.db, other.accountId, (tx) => openConversationMessages(tx, other.accountId, c.conversation.id, { limit: 50 })),
    ).rejects.toMatchObject({ code: 'not_found' });
    const first = await withTenant(t().database.db, acc.accountId, (tx) =>
      openConversationMessages(tx, acc.accountId, c.conversation.id, { limit: 1 }),
    );
    expect(first.items).toHaveLength(1);
    // A cursor before the only message: the conversation exists, the page is empty (not a 404).
    const cursor = Buffer.from(JSON.stringify(['2000-01-01T00:00:00.000000Z', c.message.id])).toString('base64url');
    const empty = await withTenant(t().database.db, acc.accountId, (tx) =>
      openConversationMessages(tx, acc.accountId, c.conversation.id, { limit: 1, cursor }),
    );
    expect(empty).toEqual({ items: [], nextCursor: null });
  });
});
