import { and, count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createAccount, createTeam, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { countsOf, startConversation } from './test-support';
import { macros } from '../../db/schema';
import { withTenant } from '../../db/tenant';

const t = useTestApp();
type H = Record<string, string>;

const post = (url: string, headers: H, payload?: unknown) =>
  t().app.inject({ method: 'POST', url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
const macroCount = (accountId: string) =>
  withTenant(
    t().database.db,
    accountId,
    async (tx) => (await tx.select({ n: count() }).from(macros).where(eq(macros.accountId, accountId)))[0]!.n,
  );

describe('macros', () => {
  it('needs credentials', async () => {
    expect((await t().app.inject({ url: '/api/v1/macros' })).statusCode).toBe(401);
    expect((await post('/api/v1/macros', {}, { name: 'x', body: 'y' })).statusCode).toBe(401);
  });

  it('agents create personal macros, supervisors shared ones; analysts none', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const supervisor = await createUser(t(), acc.accountId, 'supervisor');
    const mine = await post('/api/v1/macros', agent.headers, { name: 'Thanks', body: 'Thanks {{customer.first_name}}!' });
    expect(mine.statusCode).toBe(201);
    expect(mine.json().data).toMatchObject({ visibility: 'personal', ownerUserId: agent.userId, actions: {} });
    expect(mine.json().policies[0].abilities).toMatchObject({ read: true, update: true, apply: true });

    const denied = await post('/api/v1/macros', agent.headers, { name: 'S', body: 'x', visibility: 'shared' });
    expect(denied.statusCode).toBe(403);
    expect((await post('/api/v1/macros', analyst.headers, { name: 'A', body: 'x' })).statusCode).toBe(403);
    expect(await macroCount(acc.accountId)).toBe(1);

    const shared = await post('/api/v1/macros', supervisor.headers, { name: 'Shared', body: 'Hello', visibility: 'shared' });
    expect(shared.statusCode).toBe(201);
    expect(shared.json().data.ownerUserId).toBeNull();

    // The agent sees the shared macro and their own; the supervisor does not see the agent's personal one.
    const agentList = (await t().app.inject({ url: '/api/v1/macros', headers: agent.headers })).json();
    expect(agentList.data.map((m: { name: string }) => m.name)).toEqual(['Shared', 'Thanks']);
    const supList = (await t().app.inject({ url: '/api/v1/macros', headers: supervisor.headers })).json();
    expect(supList.data.map((m: { name: string }) => m.name)).toEqual(['Shared']);
    const other = await t().app.inject({ url: `/api/v1/macros/${mine.json().data.id}`, headers: supervisor.headers });
    expect(other.statusCode).toBe(404);
    // Agents may not edit shared macros.
    const patch = await t().app.inject({
      method: 'PATCH',
      url: `/api/v1/macros/${shared.json().data.id}`,
      headers: agent.headers,
      payload: { name: 'Hijacked' },
    });
    expect(patch.statusCode).toBe(403);
  });

  it('rejects unknown variables and bad input with 422, listing them, and stores nothing', async () => {
    const acc = await createAccount(t());
    const res = await post('/api/v1/macros', acc.owner.headers, { name: 'Bad', body: 'Hi {{customer.age}} {{ process.exit() }}' });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body' }] });
    expect(res.json().errors[0].message).toContain('{{customer.age}}');
    expect(res.json().errors[0].message).toContain('{{process.exit()}}');
    const tooLong = await post('/api/v1/macros', acc.owner.headers, { name: 'Long', body: 'x'.repeat(10_001) });
    expect(tooLong.statusCode).toBe(422);
    const unknownKey = await post('/api/v1/macros', acc.owner.headers, { name: 'K', body: 'x', actions: { explode: true } });
    expect(unknownKey.statusCode).toBe(422);
    const badTeam = await post('/api/v1/macros', acc.owner.headers, { name: 'K', body: 'x', actions: { teamId: crypto.randomUUID() } });
    expect(badTeam.statusCode).toBe(422);
    expect(badTeam.json().errors[0].path).toBe('actions.teamId');
    const malformed = await t().app.inject({
      method: 'POST',
      url: '/api/v1/macros',
      headers: { ...acc.owner.headers, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(await macroCount(acc.accountId)).toBe(0);
  });

  it('stores SQL and <script> payloads verbatim', async () => {
    const acc = await createAccount(t());
    const name = "'; drop table macros; --";
    const body = '<script>alert(1)</script> {{customer.name}}';
    const res = await post('/api/v1/macros', acc.owner.headers, { name, body, visibility: 'shared' });
    expect(res.statusCode).toBe(201);
    const got = await t().app.inject({ url: `/api/v1/macros/${res.json().data.id}`, headers: acc.owner.headers });
    expect(got.json().data).toMatchObject({ name, body });
  });

  it('previews for a conversation without changing it, rendering values as plain text', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent', { name: 'Ann Agent' });
    const { conversation } = await startConversation(t(), agent.headers, {
      customer: { name: '<b>Dana</b> Customer', email: 'dana-preview@example.test' },
      subject: 'Late order',
    });
    const macro = (
      await post('/api/v1/macros', agent.headers, {
        name: 'Greeting',
        body: 'Hi {{customer.first_name}} ({{customer.name}}), #{{conversation.number}} "{{conversation.subject}}" — {{agent.first_name}} / {{agent.name}} at {{account.name}}',
      })
    ).json().data;
    const before = await countsOf(t(), acc.accountId);
    const res = await post(`/api/v1/macros/${macro.id}/preview`, agent.headers, { conversationId: conversation.id });
    expect(res.statusCode).toBe(200);
    const accountName = (await t().app.inject({ url: '/api/v1/me', headers: agent.headers })).json().data.account.name;
    expect(res.json().data.body).toBe(
      `Hi <b>Dana</b> (<b>Dana</b> Customer), #${conversation.number} "Late order" — Ann / Ann Agent at ${accountName}`,
    );
    expect(await countsOf(t(), acc.accountId)).toEqual(before);

    const other = await createAccount(t());
    expect((await post(`/api/v1/macros/${macro.id}/preview`, other.owner.headers, { conversationId: conversation.id })).statusCode).toBe(
      404,
    );
    const missingConv = await post(`/api/v1/macros/${macro.id}/preview`, agent.headers, { conversationId: crypto.randomUUID() });
    expect(missingConv.statusCode).toBe(404);
  });

  it('applies a macro: sends the reply and applies its actions; analysts and other tenants change nothing', async () => {
    const acc = await createAccount(t());
    const supervisor = await createUser(t(), acc.accountId, 'supervisor', { name: 'Sam Super' });
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const teamId = await createTeam(t(), acc.accountId);
    const { conversation } = await startConversation(t(), supervisor.headers, { customer: { name: 'Dana Q' }, tags: ['billing'] });
    const macro = (
      await post('/api/v1/macros', supervisor.headers, {
        name: 'Resolve',
        body: 'Thanks {{customer.first_name}}, {{agent.first_name}} here.',
        visibility: 'shared',
        actions: { status: 'resolved', priority: 'high', addTags: ['Done'], teamId },
      })
    ).json().data;
    const url = `/api/v1/conversations/${conversation.id}/macros/${macro.id}`;

    const before = await countsOf(t(), acc.accountId);
    expect((await post(url, analyst.headers)).statusCode).toBe(403);
    const other = await createAccount(t());
    expect((await post(url, other.owner.headers)).statusCode).toBe(404);
    expect((await post(url, {})).statusCode).toBe(401);
    expect(await countsOf(t(), acc.accountId)).toEqual(before);

    const res = await post(url, supervisor.headers);
    expect(res.statusCode).toBe(200);
    expect(res.json().data.message).toMatchObject({ kind: 'outgoing', authorKind: 'agent', body: 'Thanks Dana, Sam here.' });
    expect(res.json().data.conversation).toMatchObject({ status: 'resolved', priority: 'high', teamId, tags: ['billing', 'done'] });
    await t().settle();
  });

  it('updates and deletes a personal macro; validation on update changes nothing', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const m = (await post('/api/v1/macros', agent.headers, { name: 'A', body: 'one' })).json().data;
    const url = `/api/v1/macros/${m.id}`;
    const bad = await t().app.inject({ method: 'PATCH', url, headers: agent.headers, payload: { body: '{{nope}}' } });
    expect(bad.statusCode).toBe(422);
    const ok = await t().app.inject({ method: 'PATCH', url, headers: agent.headers, payload: { name: 'B', body: 'two' } });
    expect(ok.json().data).toMatchObject({ name: 'B', body: 'two' });
    const other = await createAccount(t());
    expect((await t().app.inject({ method: 'DELETE', url, headers: other.owner.headers })).statusCode).toBe(404);
    expect((await t().app.inject({ method: 'DELETE', url, headers: agent.headers })).statusCode).toBe(204);
    expect(
      await withTenant(t().database.db, acc.accountId, async (tx) =>
        tx
          .select()
          .from(macros)
          .where(and(eq(macros.accountId, acc.accountId), eq(macros.id, m.id))),
      ),
    ).toEqual([]);
  });

  it('pages by name with an opaque cursor and filters by visibility', async () => {
    const acc = await createAccount(t());
    const h = acc.owner.headers;
    for (const [name, visibility] of [
      ['c', 'shared'],
      ['a', 'personal'],
      ['b', 'shared'],
    ])
      expect((await post('/api/v1/macros', h, { name, body: name, visibility })).statusCode).toBe(201);
    const first = (await t().app.inject({ url: '/api/v1/macros?limit=2', headers: h })).json();
    expect(first.data.map((m: { name: string }) => m.name)).toEqual(['a', 'b']);
    const next = (await t().app.inject({ url: `/api/v1/macros?limit=2&cursor=${first.page.nextCursor}`, headers: h })).json();
    expect(next.data.map((m: { name: string }) => m.name)).toEqual(['c']);
    expect(next.page.nextCursor).toBeNull();
    const shared = (await t().app.inject({ url: '/api/v1/macros?visibility=shared', headers: h })).json();
    expect(shared.data.map((m: { name: string }) => m.name)).toEqual(['b', 'c']);
    expect((await t().app.inject({ url: '/api/v1/macros?cursor=garbage', headers: h })).statusCode).toBe(422);
  });
});
