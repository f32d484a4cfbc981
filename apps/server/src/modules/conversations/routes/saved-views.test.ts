import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createAccount, createApiKeyHeaders, createUser } from '../../../../test/factories';
import { useTestApp } from '../../../../test/harness';
import { savedViews } from '../../../db/schema';
import { withTenant } from '../../../db/tenant';

const t = useTestApp();
type Headers = Record<string, string>;

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Headers, payload?: object) =>
  t().app.inject({ method, url: `/api/v1/saved-views${url}`, headers, ...(payload ? { payload } : {}) });
const names = (res: { json(): { data: { name: string }[] } }) => res.json().data.map((v) => v.name);
const viewsOf = (accountId: string) =>
  withTenant(
    t().database.db,
    accountId,
    async (tx) => (await tx.select({ n: count() }).from(savedViews).where(eq(savedViews.accountId, accountId)))[0]!.n,
  );

describe('saved views', () => {
  it('personal views for their owner, shared ones for everyone, listed by name with what the caller may do', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const supervisor = await createUser(t(), acc.accountId, 'supervisor');
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const filters = { view: 'mine', status: 'open', sla: 'due_soon', sort: 'sla' };
    const mine = await call('POST', '', agent.headers, { name: ' My urgent ', filters });
    expect(mine.statusCode).toBe(201);
    expect(mine.json()).toMatchObject({
      data: { name: 'My urgent', filters, shared: false, ownerUserId: agent.userId },
      policies: [{ abilities: { read: true, update: true, delete: true, share: false } }],
    });
    expect((await call('POST', '', agent.headers, { name: 'Team', shared: true })).statusCode).toBe(403);
    const shared = await call('POST', '', supervisor.headers, { name: 'Breached', filters: { sla: 'breached' }, shared: true });
    expect(shared.statusCode).toBe(201);
    await call('POST', '', supervisor.headers, { name: 'Alpha (supervisor only)' });
    expect((await call('POST', '', analyst.headers, { name: 'Analyst view', filters: { view: 'all' } })).statusCode).toBe(201);

    const listed = await call('GET', '', agent.headers);
    expect(names(listed)).toEqual(['Breached', 'My urgent']);
    expect(listed.json().policies).toEqual([
      { id: shared.json().data.id, abilities: { read: true, update: false, delete: false, share: false } },
      { id: mine.json().data.id, abilities: { read: true, update: true, delete: true, share: false } },
    ]);
    expect(names(await call('GET', '', supervisor.headers))).toEqual(['Alpha (supervisor only)', 'Breached']);
    expect((await call('GET', '', supervisor.headers)).json().policies[1].abilities).toEqual({
      read: true,
      update: true,
      delete: true,
      share: true,
    });
    // Someone else's personal view does not exist for me.
    expect((await call('GET', `/${mine.json().data.id}`, supervisor.headers)).statusCode).toBe(404);
    expect((await call('GET', `/${mine.json().data.id}`, agent.headers)).json().data.name).toBe('My urgent');
    // Paged by name.
    const first = await call('GET', '?limit=1', supervisor.headers);
    expect(names(first)).toEqual(['Alpha (supervisor only)']);
    expect(names(await call('GET', `?limit=1&cursor=${first.json().page.nextCursor}`, supervisor.headers))).toEqual(['Breached']);
  });

  it('edit, share, unshare and delete follow the policy; other accounts see nothing', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const supervisor = await createUser(t(), acc.accountId, 'supervisor');
    const mine = (await call('POST', '', agent.headers, { name: 'Mine' })).json().data.id;
    const sup = (await call('POST', '', supervisor.headers, { name: 'Sup' })).json().data.id;
    const shared = (await call('POST', '', supervisor.headers, { name: 'Shared', shared: true })).json().data.id;

    const renamed = await call('PATCH', `/${mine}`, agent.headers, { name: 'Mine, renamed', filters: { tag: 'vip' } });
    expect(renamed.json().data).toMatchObject({ name: 'Mine, renamed', filters: { tag: 'vip' } });
    expect((await call('PATCH', `/${mine}`, agent.headers, { shared: true })).statusCode).toBe(403);
    expect((await call('PATCH', `/${shared}`, agent.headers, { name: 'x' })).statusCode).toBe(403);
    expect((await call('DELETE', `/${shared}`, agent.headers)).statusCode).toBe(403);
    // A supervisor shares their own view; unsharing makes it the unsharer's personal view.
    expect((await call('PATCH', `/${sup}`, supervisor.headers, { shared: true })).json().data).toMatchObject({ shared: true });
    expect(names(await call('GET', '', agent.headers))).toEqual(['Mine, renamed', 'Shared', 'Sup']);
    const admin = await createUser(t(), acc.accountId, 'admin');
    expect((await call('PATCH', `/${sup}`, admin.headers, { shared: false })).json().data).toMatchObject({
      shared: false,
      ownerUserId: admin.userId,
    });
    expect(names(await call('GET', '', supervisor.headers))).toEqual(['Shared']);
    // API keys: shared views only.
    const key = await createApiKeyHeaders(t(), acc.accountId, 'admin');
    expect((await call('POST', '', key, { name: 'Key' })).statusCode).toBe(403);
    expect((await call('POST', '', key, { name: 'Key', shared: true })).json().data.ownerUserId).toBeNull();
    expect((await call('PATCH', `/${shared}`, key, { shared: false })).statusCode).toBe(403);

    // Another account's views are 404, whatever the role.
    for (const [method, payload] of [['GET'], ['PATCH', { name: 'x' }], ['DELETE']] as const)
      expect((await call(method, `/${shared}`, other.owner.headers, payload)).statusCode, method).toBe(404);
    expect((await call('GET', '', other.owner.headers)).json().data).toEqual([]);
    expect((await call('DELETE', `/${mine}`, supervisor.headers)).statusCode).toBe(404);
    expect((await call('DELETE', `/${mine}`, agent.headers)).statusCode).toBe(204);
    expect((await call('DELETE', `/${shared}`, supervisor.headers)).statusCode).toBe(204);
    expect(names(await call('GET', '', agent.headers))).toEqual(['Key']);
    expect((await call('GET', '', {})).statusCode).toBe(401);
  });

  it('422 for bad names and filters, with nothing written', async () => {
    const acc = await createAccount(t());
    const id = (await call('POST', '', acc.owner.headers, { name: 'Keep' })).json().data.id;
    const before = await viewsOf(acc.accountId);
    for (const payload of [
      {},
      { name: '' },
      { name: '   ' },
      { name: 'x'.repeat(61) },
      { name: 'a\u0000b' },
      { name: 'x', filters: { view: 'nobody' } },
      { name: 'x', filters: { assignee: 'me' } },
      { name: 'x', filters: { sort: 'priority' } },
      { name: 'x', filters: { teamId: 'nope' } },
      { name: 'x', shared: 'yes' },
    ]) {
      const res = await call('POST', '', acc.owner.headers, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
    }
    for (const payload of [{}, { name: '' }, { filters: { sla: 'late' } }])
      expect((await call('PATCH', `/${id}`, acc.owner.headers, payload)).statusCode).toBe(422);
    expect(await viewsOf(acc.accountId)).toBe(before);
    // Stored verbatim, returned as text.
    const xss = await call('POST', '', acc.owner.headers, { name: '<script>alert(1)</script>' });
    expect(xss.json().data.name).toBe('<script>alert(1)</script>');
  });
});
