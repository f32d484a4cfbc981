import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { createAccount, createApiKeyHeaders, createTeam, createUser } from '../../../../test/factories';
import { useTestApp } from '../../../../test/harness';
import { withTenant } from '../../../db/tenant';
import { countsOf, eventsOf, startConversation } from '../test-support';

const t = useTestApp();
type Headers = Record<string, string>;

const bulk = (headers: Headers, payload: unknown) =>
  t().app.inject({ method: 'POST', url: '/api/v1/conversations/bulk', headers, payload: payload as object });
const get = async (headers: Headers, id: string) => (await t().app.inject({ url: `/api/v1/conversations/${id}`, headers })).json().data;

async function three(headers: Headers) {
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await startConversation(t(), headers, { tags: ['billing'] })).conversation.id);
  return ids;
}

describe('POST /conversations/bulk', () => {
  it('applies each action through the single-conversation commands, with their events', async () => {
    const acc = await createAccount(t());
    const h = acc.owner.headers;
    const teamId = await createTeam(t(), acc.accountId);
    const agent = await createUser(t(), acc.accountId, 'agent');
    const ids = await three(h);
    const ok = async (payload: object) => {
      const res = await bulk(agent.headers, { ids, ...payload });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().data).toEqual({ succeeded: ids, failed: [] });
    };

    await ok({ action: 'assign', assigneeId: 'me', teamId });
    for (const id of ids) expect(await get(h, id)).toMatchObject({ assigneeId: agent.userId, teamId });
    await ok({ action: 'unassign' });
    for (const id of ids) expect(await get(h, id)).toMatchObject({ assigneeId: null, teamId });
    await ok({ action: 'assign', assigneeId: acc.owner.userId });
    await ok({ action: 'tag', tag: ' VIP ' });
    for (const id of ids) expect((await get(h, id)).tags).toEqual(['billing', 'vip']);
    await ok({ action: 'untag', tag: 'Billing' });
    for (const id of ids) expect((await get(h, id)).tags).toEqual(['vip']);
    await ok({ action: 'set_priority', priority: 'urgent' });
    await ok({ action: 'resolve' });
    for (const id of ids) expect(await get(h, id)).toMatchObject({ status: 'resolved', priority: 'urgent' });
    // Idempotent: resolving again succeeds and emits nothing more.
    await ok({ action: 'resolve' });
    await ok({ action: 'reopen' });
    for (const id of ids) expect(await get(h, id)).toMatchObject({ status: 'open', reopenCount: 1 });

    const types = (await eventsOf(t(), acc.accountId, ids[1]!)).map((e) => e.type);
    expect(types.filter((x) => x === 'conversation.assigned')).toHaveLength(3);
    expect(types.filter((x) => x === 'conversation.tags_changed')).toHaveLength(2);
    expect(types.filter((x) => x === 'conversation.priority_changed')).toHaveLength(1);
    expect(types.filter((x) => x === 'conversation.status_changed')).toHaveLength(2);
    const events = await eventsOf(t(), acc.accountId, ids[2]!);
    expect(events.find((e) => e.type === 'conversation.status_changed')).toMatchObject({ actorKind: 'user', actorId: agent.userId });
  });

  it('reports what it could not change per id and applies the rest', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const h = acc.owner.headers;
    const [a, b] = await three(h);
    const foreign = (await startConversation(t(), other.owner.headers)).conversation.id;
    const unknown = uuidv7();
    // b already has the most tags a conversation may have: one more is refused for b alone.
    await withTenant(t().database.db, acc.accountId, (tx) =>
      tx.execute(sql`update conversations set tags = (select array_agg('t' || i) from generate_series(1, 50) i) where id = ${b}`),
    );
    const res = await bulk(h, { ids: [a, foreign, b, unknown], action: 'tag', tag: 'late' });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual({
      succeeded: [a],
      failed: [
        { id: foreign, code: 'not_found', detail: 'Conversation not found' },
        { id: b, code: 'validation_failed', detail: 'At most 50 tags' },
        { id: unknown, code: 'not_found', detail: 'Conversation not found' },
      ],
    });
    expect((await get(h, a!)).tags).toEqual(['billing', 'late']);
    expect((await get(other.owner.headers, foreign)).tags).toEqual([]);
  });

  it('validates the whole request first: a rejected request changes nothing', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const h = acc.owner.headers;
    const ids = await three(h);
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const outsiderTeam = await createTeam(t(), other.accountId);
    const before = await countsOf(t(), acc.accountId);
    const cases: [unknown, string][] = [
      [{ ids: [], action: 'resolve' }, 'body.ids'],
      [{ ids: Array.from({ length: 101 }, () => uuidv7()), action: 'resolve' }, 'body.ids'],
      [{ ids: [ids[0], ids[0]], action: 'resolve' }, 'body.ids'],
      [{ ids: ['nope'], action: 'resolve' }, 'body.ids.0'],
      [{ ids, action: 'delete' }, 'body.action'],
      [{ ids, action: 'tag' }, 'body.tag'],
      [{ ids, action: 'tag', tag: '   ' }, 'body.tag'],
      [{ ids, action: 'tag', tag: 'x', priority: 'high' }, 'body.priority'],
      [{ ids, action: 'assign' }, 'body.assigneeId'],
      [{ ids, action: 'resolve', assigneeId: 'me' }, 'body.assigneeId'],
      [{ ids, action: 'set_priority', priority: 'asap' }, 'body.priority'],
      [{ ids, action: 'assign', assigneeId: analyst.userId }, 'body.assigneeId'],
      [{ ids, action: 'assign', assigneeId: other.owner.userId }, 'body.assigneeId'],
      [{ ids, action: 'assign', teamId: outsiderTeam }, 'body.teamId'],
    ];
    for (const [payload, path] of cases) {
      const res = await bulk(h, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(
        res.json().errors.map((e: { path: string }) => e.path),
        JSON.stringify(payload),
      ).toContain(path);
    }
    const key = await createApiKeyHeaders(t(), acc.accountId, 'admin');
    expect((await bulk(key, { ids, action: 'assign', assigneeId: 'me' })).json().errors[0].path).toBe('body.assigneeId');
    expect(await countsOf(t(), acc.accountId)).toEqual(before);
  });

  it('403 below agent (before validation), 401 anonymous', async () => {
    const acc = await createAccount(t());
    const ids = await three(acc.owner.headers);
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const before = await countsOf(t(), acc.accountId);
    expect((await bulk(analyst.headers, { ids, action: 'resolve' })).statusCode).toBe(403);
    expect((await bulk(analyst.headers, { nonsense: true })).statusCode).toBe(403);
    expect((await bulk(await createApiKeyHeaders(t(), acc.accountId, 'analyst'), { ids, action: 'resolve' })).statusCode).toBe(403);
    expect((await bulk({}, { ids, action: 'resolve' })).statusCode).toBe(401);
    expect(await countsOf(t(), acc.accountId)).toEqual(before);
  });
});
