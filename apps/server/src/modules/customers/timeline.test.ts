import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { createAccount, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { events } from '../../db/schema';
import { withTenant } from '../../db/tenant';
import { seedConversation } from './test-support';

const t = useTestApp();
const api = '/api/v1/customers';

type Item = { kind: string; id: string; at: string; type?: string; messageKind?: string; body?: string };

async function setup() {
  const acc = await createAccount(t());
  const agent = await createUser(t(), acc.accountId, 'agent');
  const customer = (await t().app.inject({ method: 'POST', url: api, headers: agent.headers, payload: { name: 'Tim Line' } })).json().data;
  const page = async (limit: number, cursor?: string | null, headers = agent.headers) => {
    const res = await t().app.inject({ url: `${api}/${customer.id}/timeline?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, headers });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return res.json() as { data: Item[]; page: { nextCursor: string | null; limit: number } };
  };
  const all = async (limit: number) => {
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const p = await page(limit, cursor);
      items.push(...p.data);
      cursor = p.page.nextCursor;
    } while (cursor);
    return items;
  };
  return { acc, agent, customer, page, all };
}

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s));

describe('customer timeline', () => {
  it('interleaves conversations, messages (notes included) and events, newest first', async () => {
    const { acc, customer, all } = await setup();
    const c1 = await seedConversation(t(), acc.accountId, acc.apiChannelId, customer.id, {
      at: at(1),
      messages: [
        { body: 'hello', at: at(2) },
        { body: 'internal', kind: 'note', at: at(4) },
      ],
    });
    const c2 = await seedConversation(t(), acc.accountId, acc.apiChannelId, customer.id, {
      at: at(3),
      messages: [{ body: 'again', at: at(5) }],
    });
    const items = await all(100);
    const seeded = items.filter((i) => i.kind !== 'event');
    expect(seeded.map((i) => [i.kind, i.id])).toEqual([
      ['message', c2.messageIds[0]],
      ['message', c1.messageIds[1]],
      ['conversation', c2.conversationId],
      ['message', c1.messageIds[0]],
      ['conversation', c1.conversationId],
    ]);
    expect(items.find((i) => i.id === c1.messageIds[1])).toMatchObject({
      messageKind: 'note',
      body: 'internal',
      conversationId: c1.conversationId,
      at: at(4).toISOString(),
    });
    // customer.created happened "now", after the 2026-01-01 seed times.
    expect(items[0]).toMatchObject({ kind: 'event', type: 'customer.created' });
  });

  it('does not repeat conversations and messages as their creation events', async () => {
    const { acc, agent, customer, all } = await setup();
    const conv = await seedConversation(t(), acc.accountId, acc.apiChannelId, customer.id, { messages: [{ body: 'hi' }] });
    await withTenant(t().database.db, acc.accountId, (tx) =>
      tx.insert(events).values([
        {
          accountId: acc.accountId,
          type: 'conversation.created',
          actorKind: 'user',
          actorId: agent.userId,
          customerId: customer.id,
          conversationId: conv.conversationId,
        },
        {
          accountId: acc.accountId,
          type: 'message.created',
          actorKind: 'user',
          actorId: agent.userId,
          customerId: customer.id,
          conversationId: conv.conversationId,
        },
        {
          accountId: acc.accountId,
          type: 'conversation.status_changed',
          actorKind: 'user',
          actorId: agent.userId,
          customerId: customer.id,
          conversationId: conv.conversationId,
          payload: { status: 'resolved' },
        },
      ]),
    );
    const items = await all(100);
    expect(items.filter((i) => i.kind === 'event').map((i) => i.type)).toEqual(['conversation.status_changed', 'customer.created']);
  });

  it('pages through hundreds of rows sharing instants without gaps or repeats', async () => {
    const { acc, customer, all } = await setup();
    // Many rows share one timestamp, so the keyset must break ties by id and keep microseconds.
    const messages = Array.from({ length: 600 }, (_, i) => ({ body: `m${i}`, at: new Date(Date.UTC(2025, 5, 1, 0, 0, 0, i % 7)) }));
    const conv = await seedConversation(t(), acc.accountId, acc.apiChannelId, customer.id, {
      at: new Date(Date.UTC(2025, 5, 1)),
      messages,
    });
    const items = await all(97);
    const ids = items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(items.filter((i) => i.kind === 'message')).toHaveLength(600);
    expect(ids).toContain(conv.conversationId);
    for (let i = 1; i < items.length; i++) {
      const [a, b] = [items[i - 1]!, items[i]!];
      expect(a.at > b.at || (a.at === b.at && a.id > b.id), `${i}`).toBe(true);
    }
  });

  it('keeps microsecond precision in the cursor', async () => {
    const { acc, customer, page } = await setup();
    const base = Date.UTC(2025, 1, 1);
    const conv = await seedConversation(t(), acc.accountId, acc.apiChannelId, customer.id, { at: new Date(base) });
    // Two messages in the same millisecond, different microseconds, written with SQL.
    await withTenant(t().database.db, acc.accountId, async (tx) => {
      for (const us of ['2025-02-01T00:00:01.000100Z', '2025-02-01T00:00:01.000900Z']) {
        await tx.execute(sql`insert into messages (id, account_id, conversation_id, channel_id, kind, author_kind, body, created_at)
          values (${uuidv7()}, ${acc.accountId}, ${conv.conversationId}, ${acc.apiChannelId}, 'incoming', 'customer', ${us}, ${us}::timestamptz)`);
      }
    });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const p = await page(1, cursor);
      seen.push(...p.data.map((i) => i.body ?? i.kind));
      cursor = p.page.nextCursor;
    } while (cursor);
    expect(seen.filter((s) => s.startsWith('2025'))).toEqual(['2025-02-01T00:00:01.000900Z', '2025-02-01T00:00:01.000100Z']);
    expect(seen).toHaveLength(4);
  });

  it('lets analysts read, 404s another tenant, 401s without credentials, 422s a bad cursor', async () => {
    const { acc, customer, page } = await setup();
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    expect((await page(10, null, analyst.headers)).data.length).toBe(1);
    const other = await createAccount(t());
    expect((await t().app.inject({ url: `${api}/${customer.id}/timeline`, headers: other.owner.headers })).statusCode).toBe(404);
    expect((await t().app.inject({ url: `${api}/${customer.id}/timeline` })).statusCode).toBe(401);
    for (const cursor of [
      'nope',
      'WyJ4IiwieSJd',
      Buffer.from(JSON.stringify(["2025-01-01T00:00:00Z'; drop table events; --", uuidv7()])).toString('base64url'),
    ]) {
      const res = await t().app.inject({ url: `${api}/${customer.id}/timeline?cursor=${cursor}`, headers: acc.owner.headers });
      expect(res.statusCode, cursor).toBe(422);
    }
  });
});
