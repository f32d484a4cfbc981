import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { createAccount, createApiKeyHeaders, createTeam, createUser, type TestAccount } from '../../../../test/factories';
import { useTestApp } from '../../../../test/harness';
import { conversationSlas } from '../../../db/schema';
import { withTenant } from '../../../db/tenant';
import { postMessage, startConversation } from '../test-support';

const t = useTestApp();
type Headers = Record<string, string>;
type Row = { id: string; number: number; sla: { state: string | null; target: string | null; dueAt: string | null }; [k: string]: unknown };
type Page = { data: Row[]; page: { nextCursor: string | null; limit: number } };

async function list(headers: Headers, query = '') {
  const res = await t().app.inject({ url: `/api/v1/conversations${query}`, headers });
  return { status: res.statusCode, body: res.json() };
}

/** Every page of a query, `limit` rows at a time, as conversation numbers in the order served. */
async function allPages(headers: Headers, query: string, limit = 2): Promise<number[]> {
  const seen: number[] = [];
  let cursor: string | null = null;
  do {
    const res = await list(headers, `?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const page = res.body as Page;
    expect(page.data.length).toBeLessThanOrEqual(limit);
    seen.push(...page.data.map((r) => r.number));
    cursor = page.page.nextCursor;
  } while (cursor);
  return seen;
}

const numbers = (body: { data: Row[] }) => body.data.map((r) => r.number);
const sqlOn = (acc: TestAccount, q: ReturnType<typeof sql>) => withTenant(t().database.db, acc.accountId, (tx) => tx.execute(q));

async function setSla(acc: TestAccount, conversationId: string, cols: Partial<typeof conversationSlas.$inferInsert>) {
  await withTenant(t().database.db, acc.accountId, (tx) =>
    tx.insert(conversationSlas).values({ accountId: acc.accountId, conversationId, policyId: uuidv7(), startedAt: new Date(), ...cols }),
  );
}

describe('GET /conversations: views', () => {
  it('mine, unassigned, teams (mine), mentions and all; combined with other filters', async () => {
    const acc = await createAccount(t());
    const [t1, t2] = [await createTeam(t(), acc.accountId), await createTeam(t(), acc.accountId)];
    const agent = await createUser(t(), acc.accountId, 'agent', { teamIds: [t1] });
    const other = await createUser(t(), acc.accountId, 'agent', { teamIds: [t2] });
    const h = acc.owner.headers;
    await startConversation(t(), h, { assigneeId: agent.userId }); // #1
    await startConversation(t(), h, { teamId: t1 }); // #2
    const c3 = await startConversation(t(), h, { teamId: t2, assigneeId: other.userId }); // #3
    await startConversation(t(), h); // #4
    await startConversation(t(), h, { teamId: t1, assigneeId: other.userId, priority: 'high' }); // #5
    await postMessage(t(), h, c3.conversation.id, { body: 'Can you look at this?', kind: 'note', mentions: [agent.userId] });

    expect(numbers((await list(agent.headers, '?view=mine')).body)).toEqual([1]);
    expect(numbers((await list(agent.headers, '?view=unassigned')).body)).toEqual([4, 2]);
    expect(numbers((await list(agent.headers, '?view=teams')).body)).toEqual([5, 2]);
    expect(numbers((await list(agent.headers, '?view=teams&priority=high')).body)).toEqual([5]);
    expect(numbers((await list(agent.headers, '?view=mentions')).body)).toEqual([3]);
    expect(numbers((await list(agent.headers, '?view=all')).body)).toEqual([3, 5, 4, 2, 1]);
    expect(numbers((await list(other.headers, '?view=mine')).body)).toEqual([3, 5]);
    expect(numbers((await list(other.headers, '?view=mentions')).body)).toEqual([]);
    // The owner is in no team: the teams view is empty, not everything.
    expect(numbers((await list(h, '?view=teams')).body)).toEqual([]);
    // assigneeId still works, alone or with a view.
    expect(numbers((await list(h, `?assigneeId=${other.userId}&view=teams`)).body)).toEqual([]);
    expect(numbers((await list(other.headers, `?assigneeId=${other.userId}&view=teams`)).body)).toEqual([3]);
  });

  it('mentions: newest mention first by default, or by the chosen sort; views of a person refuse API keys', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const h = acc.owner.headers;
    const c1 = await startConversation(t(), h);
    const c2 = await startConversation(t(), h);
    await postMessage(t(), h, c1.conversation.id, { body: `@${agent.name} first`, kind: 'note' });
    await postMessage(t(), h, c2.conversation.id, { body: 'second', kind: 'note', mentions: [agent.userId] });
    // Later activity on #2 does not change the mention order; a newer mention on #1 does.
    expect(numbers((await list(agent.headers, '?view=mentions')).body)).toEqual([2, 1]);
    await postMessage(t(), h, c1.conversation.id, { body: 'again', kind: 'note', mentions: [agent.userId] });
    await postMessage(t(), h, c2.conversation.id, { body: 'customer again', kind: 'incoming' });
    expect(await allPages(agent.headers, 'view=mentions', 1)).toEqual([1, 2]);
    expect(numbers((await list(agent.headers, '?view=mentions&sort=activity')).body)).toEqual([2, 1]);

    const key = await createApiKeyHeaders(t(), acc.accountId, 'admin');
    for (const view of ['mine', 'teams', 'mentions']) {
      const res = await list(key, `?view=${view}`);
      expect(res.status, view).toBe(422);
      expect(res.body.errors[0].path).toBe('querystring.view');
    }
    expect(numbers((await list(key, '?view=unassigned')).body)).toEqual([2, 1]);
  });
});

describe('GET /conversations: rows', () => {
  it('carry the channel, the SLA summary and my read state', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const h = acc.owner.headers;
    const c = await startConversation(t(), h);
    const due = new Date(Date.now() + 3_600_000);
    await setSla(acc, c.conversation.id, { firstResponseDueAt: due, firstResponseStatus: 'pending' });
    const [row] = (await list(agent.headers)).body.data;
    expect(row).toMatchObject({
      channel: { id: acc.apiChannelId, kind: 'api', name: 'API' },
      sla: { state: 'running', target: 'firstResponse', dueAt: due.toISOString() },
      teamId: null,
      lastMessagePreview: 'Hello, my order is late',
      lastCustomerMessageAt: c.conversation.lastCustomerMessageAt,
      readAt: null,
      unread: true,
    });

    // Read: for me only, up to now; a customer message makes it unread again; DELETE marks it unread.
    const read = await t().app.inject({ method: 'POST', url: `/api/v1/conversations/${c.conversation.id}/read`, headers: agent.headers });
    expect(read.statusCode).toBe(200);
    expect(read.json().data).toMatchObject({ conversationId: c.conversation.id, unread: false });
    const readAt = read.json().data.readAt;
    expect((await list(agent.headers)).body.data[0]).toMatchObject({ readAt, unread: false });
    expect((await list(h)).body.data[0]).toMatchObject({ readAt: null, unread: true });
    // An older marker sent later (another tab) does not move it back.
    const older = await t().app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${c.conversation.id}/read`,
      headers: agent.headers,
      payload: { readAt: '2020-01-01T00:00:00.000Z' },
    });
    expect(older.json().data.readAt).toBe(readAt);
    await postMessage(t(), h, c.conversation.id, { body: 'An agent reply', kind: 'outgoing' });
    expect((await list(agent.headers)).body.data[0].unread).toBe(false);
    await postMessage(t(), h, c.conversation.id, { body: 'Customer again', kind: 'incoming' });
    expect((await list(agent.headers)).body.data[0].unread).toBe(true);
    await t().app.inject({ method: 'POST', url: `/api/v1/conversations/${c.conversation.id}/read`, headers: agent.headers });
    const unread = await t().app.inject({
      method: 'DELETE',
      url: `/api/v1/conversations/${c.conversation.id}/read`,
      headers: agent.headers,
    });
    expect(unread.json().data).toEqual({ conversationId: c.conversation.id, readAt: null, unread: true });
    expect((await list(agent.headers)).body.data[0]).toMatchObject({ readAt: null, unread: true });
  });

  it('read state: 404 for another account, 403 for API keys, 422 for a bad readAt, 401 anonymous', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const c = await startConversation(t(), other.owner.headers);
    const url = `/api/v1/conversations/${c.conversation.id}/read`;
    expect((await t().app.inject({ method: 'POST', url, headers: acc.owner.headers })).statusCode).toBe(404);
    expect((await t().app.inject({ method: 'DELETE', url, headers: acc.owner.headers })).statusCode).toBe(404);
    const key = await createApiKeyHeaders(t(), other.accountId, 'admin');
    expect((await t().app.inject({ method: 'POST', url, headers: key })).statusCode).toBe(403);
    const bad = await t().app.inject({ method: 'POST', url, headers: other.owner.headers, payload: { readAt: 'yesterday' } });
    expect(bad.statusCode).toBe(422);
    expect((await t().app.inject({ method: 'POST', url })).statusCode).toBe(401);
    // An API key lists without read state.
    expect((await list(key)).body.data[0]).toMatchObject({ readAt: null, unread: false });
  });
});

describe('GET /conversations: SLA filters and order', () => {
  it('running, due_soon and breached from the nearest owed target; sort=sla pages earliest due first, the rest by activity', async () => {
    const acc = await createAccount(t());
    const h = acc.owner.headers;
    const at = (minutes: number) => new Date(Date.now() + minutes * 60_000);
    const ids: Record<string, string> = {};
    for (const name of ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']) ids[name] = (await startConversation(t(), h)).conversation.id;
    // #1 A: resolution due in 30 min (due soon).
    const dueA = at(30);
    await setSla(acc, ids.A!, { resolutionDueAt: dueA, resolutionStatus: 'pending' });
    // #2 B: first response due in 3 h.
    await setSla(acc, ids.B!, { firstResponseDueAt: at(180), firstResponseStatus: 'pending' });
    // #3 C: first response breached an hour ago and still unanswered.
    await setSla(acc, ids.C!, {
      firstResponseDueAt: at(-60),
      firstResponseStatus: 'breached',
      resolutionDueAt: at(600),
      resolutionStatus: 'pending',
    });
    // #4 D: paused (pending conversation) with 20 min left.
    await t().app.inject({ method: 'POST', url: `/api/v1/conversations/${ids.D}/status`, headers: h, payload: { status: 'pending' } });
    await setSla(acc, ids.D!, { resolutionDueAt: at(20), resolutionStatus: 'pending', pausedAt: at(-5) });
    // #5 E: no SLA.
    // #6 F: resolved in time.
    await t().app.inject({ method: 'POST', url: `/api/v1/conversations/${ids.F}/status`, headers: h, payload: { status: 'resolved' } });
    await setSla(acc, ids.F!, { firstResponseStatus: 'met', resolutionStatus: 'met', resolutionDueAt: at(-1) });
    // #7 G: first response breached but answered since: only the resolution (in 2 h) is owed.
    await postMessage(t(), h, ids.G!, { body: 'Late answer', kind: 'outgoing' });
    await setSla(acc, ids.G!, {
      firstResponseDueAt: at(-30),
      firstResponseStatus: 'breached',
      resolutionDueAt: at(120),
      resolutionStatus: 'pending',
    });
    // #8 H: overdue but the breach job has not run yet: breached.
    await setSla(acc, ids.H!, { nextResponseDueAt: at(-2), nextResponseStatus: 'pending', firstResponseStatus: 'met' });
    await sqlOn(acc, sql`update conversations set first_response_at = now() - interval '1 hour' where id = ${ids.H}`);

    const rows = new Map<number, Row>(((await list(h, '?limit=100')).body as Page).data.map((r) => [r.number, r]));
    expect(rows.get(1)!.sla).toEqual({ state: 'running', target: 'resolution', dueAt: dueA.toISOString() });
    expect(rows.get(3)!.sla).toMatchObject({ state: 'breached', target: 'firstResponse' });
    expect(rows.get(4)!.sla).toMatchObject({ state: 'paused', target: 'resolution' });
    expect(rows.get(5)!.sla).toEqual({ state: null, target: null, dueAt: null });
    expect(rows.get(6)!.sla).toEqual({ state: 'met', target: null, dueAt: null });
    expect(rows.get(7)!.sla).toMatchObject({ state: 'running', target: 'resolution' });
    expect(rows.get(8)!.sla).toMatchObject({ state: 'breached', target: 'nextResponse' });

    expect(numbers((await list(h, '?sla=breached')).body)).toEqual([8, 3]);
    expect(numbers((await list(h, '?sla=running')).body)).toEqual([7, 2, 1]);
    expect(numbers((await list(h, '?sla=due_soon')).body)).toEqual([1]);
    expect(numbers((await list(h, '?sla=running&status=open&sort=sla')).body)).toEqual([1, 7, 2]);
    // Owed and running, earliest due first (overdue first); then paused, resolved and SLA-less ones by activity.
    for (const limit of [1, 2, 3, 100]) expect(await allPages(h, 'sort=sla', limit), `limit ${limit}`).toEqual([3, 8, 1, 7, 2, 6, 5, 4]);
  });
});

describe('GET /conversations: waiting order', () => {
  it('customers waiting longest first (ties by id), then the others by activity, across pages', async () => {
    const acc = await createAccount(t());
    const h = acc.owner.headers;
    const c: string[] = [];
    for (let i = 0; i < 6; i++) c.push((await startConversation(t(), h)).conversation.id);
    // #2 answered: not waiting. #3 answered, then the customer wrote again: waiting since then (latest).
    await postMessage(t(), h, c[1]!, { body: 'Answer', kind: 'outgoing' });
    await postMessage(t(), h, c[2]!, { body: 'Answer', kind: 'outgoing' });
    await postMessage(t(), h, c[2]!, { body: 'Thanks, but...', kind: 'incoming' });
    // A note or a second customer message does not restart the wait of #1.
    await postMessage(t(), h, c[0]!, { body: 'looking', kind: 'note' });
    await postMessage(t(), h, c[0]!, { body: 'Hello?', kind: 'incoming' });
    // #5 and #6 have started waiting at the same instant: by id.
    await sqlOn(
      acc,
      sql`update conversations set waiting_since = (select waiting_since from conversations where id = ${c[4]}) where id = ${c[5]}`,
    );
    // #4 resolved: nobody waits.
    await t().app.inject({ method: 'POST', url: `/api/v1/conversations/${c[3]}/status`, headers: h, payload: { status: 'resolved' } });
    const expected = [1, 5, 6, 3, 2, 4];
    for (const limit of [1, 2, 4, 100]) expect(await allPages(h, 'sort=waiting', limit), `limit ${limit}`).toEqual(expected);
    expect(await allPages(h, 'sort=waiting&status=open', 2)).toEqual([1, 5, 6, 3, 2]);
  });

  it('a cursor belongs to its order; tampered or foreign cursors are 422', async () => {
    const acc = await createAccount(t());
    const h = acc.owner.headers;
    for (let i = 0; i < 3; i++) await startConversation(t(), h);
    const waiting = ((await list(h, '?sort=waiting&limit=1')).body as Page).page.nextCursor!;
    const activity = ((await list(h, '?limit=1')).body as Page).page.nextCursor!;
    expect((await list(h, `?sort=waiting&cursor=${waiting}`)).status).toBe(200);
    expect((await list(h, `?cursor=${activity}`)).status).toBe(200);
    const [at, id] = JSON.parse(Buffer.from(waiting, 'base64url').toString()) as string[];
    const forged = (v: unknown[]) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const [query, cursor] of [
      ['', waiting],
      ['sort=sla&', waiting],
      ['sort=waiting&', activity],
      ['sort=waiting&', forged([at, id, 'waiting', 2])],
      ['sort=waiting&', forged([at, id, 'waiting', -1])],
      ['sort=waiting&', forged([at, id, 'waiting', '0'])],
      ['sort=sla&', forged([at, 'not-a-uuid', 'sla', 0])],
    ]) {
      const res = await list(h, `?${query}cursor=${cursor}`);
      expect(res.status, `${query} ${cursor}`).toBe(422);
      expect(res.body.errors[0].path).toBe('querystring.cursor');
    }
    for (const q of ['?view=nobody', '?sla=late', '?sort=priority']) expect((await list(h, q)).status, q).toBe(422);
  });
});
