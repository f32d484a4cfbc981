import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createAccount, createTeam, createUser, type TestAccount } from '../../../../test/factories';
import { useTestApp } from '../../../../test/harness';
import { startConversation } from '../test-support';

const t = useTestApp();

type Row = { id: string; number: number; customer?: { name: string | null; email: string | null } };

async function list(headers: Record<string, string>, query = '') {
  const res = await t().app.inject({ url: `/api/v1/conversations${query}`, headers });
  return { status: res.statusCode, body: res.json() };
}

/** Five conversations, created in order #1..#5 (so #5 has the latest activity). */
async function seed(acc: TestAccount) {
  const teamId = await createTeam(t(), acc.accountId);
  const agent = await createUser(t(), acc.accountId, 'agent');
  const h = acc.owner.headers;
  const c1 = await startConversation(t(), h, { customer: { name: 'One', email: 'one@example.test' }, tags: ['billing'] });
  const c2 = await startConversation(t(), h, { customer: { name: 'Two' }, assigneeId: agent.userId, priority: 'urgent' });
  const c3 = await startConversation(t(), h, { customerId: c1.conversation.customerId, teamId });
  const c4 = await startConversation(t(), h, { assigneeId: acc.owner.userId, tags: ['Billing', 'vip'] });
  const c5 = await startConversation(t(), h);
  await t().app.inject({
    method: 'POST',
    url: `/api/v1/conversations/${c5.conversation.id}/status`,
    headers: h,
    payload: { status: 'resolved' },
  });
  return { teamId, agent, c: [c1, c2, c3, c4, c5].map((x) => x.conversation) };
}

const numbers = (body: { data: Row[] }) => body.data.map((r) => r.number);

describe('GET /conversations', () => {
  it('lists newest activity first with the customer summary, filtered by every supported field', async () => {
    const acc = await createAccount(t());
    const { teamId, agent, c } = await seed(acc);
    const h = acc.owner.headers;
    const all = await list(h);
    expect(all.status).toBe(200);
    expect(numbers(all.body)).toEqual([5, 4, 3, 2, 1]);
    expect(all.body.data[4].customer).toMatchObject({ name: 'One', email: 'one@example.test' });
    expect(all.body.policies).toHaveLength(5);
    expect(numbers((await list(h, '?status=open')).body)).toEqual([4, 3, 2, 1]);
    expect(numbers((await list(h, '?status=resolved')).body)).toEqual([5]);
    expect(numbers((await list(h, `?assigneeId=${agent.userId}`)).body)).toEqual([2]);
    expect(numbers((await list(h, '?assigneeId=me')).body)).toEqual([4]);
    expect(numbers((await list(agent.headers, '?assigneeId=me')).body)).toEqual([2]);
    expect(numbers((await list(h, '?assigneeId=none')).body)).toEqual([5, 3, 1]);
    expect(numbers((await list(h, `?teamId=${teamId}`)).body)).toEqual([3]);
    expect(numbers((await list(h, '?tag=BILLING')).body)).toEqual([4, 1]);
    expect(numbers((await list(h, '?priority=urgent')).body)).toEqual([2]);
    expect(numbers((await list(h, `?customerId=${c[0]!.customerId}`)).body)).toEqual([3, 1]);
    expect(numbers((await list(h, `?channelId=${acc.apiChannelId}&status=open&tag=vip`)).body)).toEqual([4]);
  });

  it('keyset pages cover every row exactly once, and a reply moves a conversation to the top', async () => {
    const acc = await createAccount(t());
    const { c } = await seed(acc);
    const h = acc.owner.headers;
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: Row[]; page: { nextCursor: string | null; limit: number } } } = await list(
        h,
        `?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      expect(page.body.page.limit).toBe(2);
      seen.push(...numbers(page.body));
      cursor = page.body.page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([5, 4, 3, 2, 1]);
    await t().app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${c[1]!.id}/messages`,
      headers: h,
      payload: { body: 'bump', kind: 'outgoing' },
    });
    expect(numbers((await list(h, '?limit=1')).body)).toEqual([2]);
  });

  it('shows only the own account; 401 without credentials; 422 for bad filters or cursors', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    await startConversation(t(), other.owner.headers);
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    expect((await list(analyst.headers)).body.data).toEqual([]);
    expect((await t().app.inject({ url: '/api/v1/conversations' })).statusCode).toBe(401);
    for (const q of ['?status=closed', '?assigneeId=someone', '?limit=0', '?limit=101', '?cursor=xyz', '?teamId=nope', '?priority=asap']) {
      const res = await list(acc.owner.headers, q);
      expect(res.status, q).toBe(422);
      expect(res.body.code).toBe('validation_failed');
    }
  });

  it('answers with one SQL statement per page (customer, channel, SLA and read state joined), besides the tenant setup', async () => {
    const acc = await createAccount(t());
    await seed(acc);
    await t().settle(); // nothing left for the background dispatcher to query while we count
    const statements: string[] = [];
    const original = pg.Client.prototype.query;
    // Only statements issued on behalf of this request count: timers (pg-boss maintenance, the automation rule
    // index refresh) run in other async contexts.
    const request = new AsyncLocalStorage<true>();
    const spy = function (this: pg.Client, ...args: unknown[]) {
      const q = args[0] as string | { text?: string };
      if (request.getStore()) statements.push(typeof q === 'string' ? q : (q?.text ?? ''));
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
    pg.Client.prototype.query = spy as typeof original;
    try {
      const res = await request.run(true, () => list(acc.owner.headers, '?status=open&tag=billing&limit=2'));
      expect(res.status).toBe(200);
    } finally {
      pg.Client.prototype.query = original;
    }
    const work = statements.filter((s) => !/^(begin|commit|rollback)$/i.test(s.trim()) && !s.includes('set_config'));
    expect(work).toHaveLength(1);
    // The page is chosen from conversations alone; the customer, channel, SLA and read state are joined to its rows.
    expect(work[0]).toMatch(/from conversations c\s+where c\.account_id = \$1/);
    expect(work[0]).toMatch(/\) c\s+left join customers cu/);
  });
});
