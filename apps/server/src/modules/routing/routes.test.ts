import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createAccount, createApiKeyHeaders, createTeam, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { accounts, agentPresenceHistory, routingRules, skills, teamRoutingSettings } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import { read } from '../../platform/tx';
import { createChannel, goOnline, inbound } from './test-support';

const t = useTestApp();
const SCRIPT = `<script>alert(1)</script>'; drop table skills; --`;

describe('presence API', () => {
  it('sets my state with an append-only history; supervisors see everyone', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const put = (headers: Record<string, string>, payload: unknown) =>
      t().app.inject({ method: 'PUT', url: '/api/v1/presence', headers, payload: payload as object });
    expect((await put({}, { state: 'online' })).statusCode).toBe(401);
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    expect((await put(analyst.headers, { state: 'online' })).statusCode).toBe(403);
    expect((await put(await createApiKeyHeaders(t(), acc.accountId, 'admin'), { state: 'online' })).statusCode).toBe(403);
    const bad = await put(agent.headers, { state: 'dancing' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe('validation_failed');

    const ok = await put(agent.headers, { state: 'online' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().data).toMatchObject({ userId: agent.userId, state: 'online', load: 0 });
    await put(agent.headers, { state: 'online' }); // unchanged: no new interval
    await put(agent.headers, { state: 'away' });
    const history = await read(agent.ctx, (tx) =>
      tx
        .select()
        .from(agentPresenceHistory)
        .where(and(eq(agentPresenceHistory.accountId, acc.accountId), eq(agentPresenceHistory.userId, agent.userId)))
        .orderBy(agentPresenceHistory.startedAt),
    );
    expect(history.map((h) => [h.state, h.endedAt !== null, h.source])).toEqual([
      ['online', true, 'manual'],
      ['away', false, 'manual'],
    ]);

    expect((await t().app.inject({ method: 'GET', url: '/api/v1/presence', headers: agent.headers })).statusCode).toBe(403);
    const sup = await createUser(t(), acc.accountId, 'supervisor');
    const list = await t().app.inject({ method: 'GET', url: '/api/v1/presence', headers: sup.headers });
    expect(list.statusCode).toBe(200);
    const states = Object.fromEntries(list.json().data.map((p: { userId: string; state: string }) => [p.userId, p.state]));
    expect(states).toEqual({ [acc.owner.userId]: 'offline', [agent.userId]: 'away', [sup.userId]: 'offline' }); // analysts are not routable
  });
});

describe('my presence', () => {
  it('reads my own state (offline until set), 404 for analysts and API keys, 401 anonymous', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const get = (headers: Record<string, string>) => t().app.inject({ url: '/api/v1/presence/me', headers });
    expect((await get({})).statusCode).toBe(401);
    expect((await get((await createUser(t(), acc.accountId, 'analyst')).headers)).statusCode).toBe(404);
    expect((await get(await createApiKeyHeaders(t(), acc.accountId, 'admin'))).statusCode).toBe(404);
    expect((await get(agent.headers)).json().data).toMatchObject({ userId: agent.userId, state: 'offline', source: null });
    await t().app.inject({ method: 'PUT', url: '/api/v1/presence', headers: agent.headers, payload: { state: 'busy' } });
    expect((await get(agent.headers)).json().data).toMatchObject({ userId: agent.userId, state: 'busy', source: 'manual' });
    const opened = await t().app.inject({
      method: 'PUT',
      url: '/api/v1/presence',
      headers: agent.headers,
      payload: { state: 'online', source: 'workspace_opened' },
    });
    expect(opened.json().data).toMatchObject({ state: 'online', source: 'workspace_opened' });
    // Only the server says an agent disconnected.
    const forged = await t().app.inject({
      method: 'PUT',
      url: '/api/v1/presence',
      headers: agent.headers,
      payload: { state: 'away', source: 'disconnected' },
    });
    expect(forged.statusCode).toBe(422);
    expect((await get(agent.headers)).json().data).toMatchObject({ state: 'online', source: 'workspace_opened' });
  });

  it('says whether opening the workspace makes me available: the account setting, true unless set false', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const me = async () => (await t().app.inject({ url: '/api/v1/presence/me', headers: agent.headers })).json().data.availableOnOpen;
    expect(await me()).toBe(true);
    const setting = (value: unknown) =>
      withSystem(t().database.db, (tx) =>
        tx
          .update(accounts)
          .set({ settings: { availableOnOpen: value } })
          .where(eq(accounts.id, acc.accountId)),
      );
    await setting(false);
    expect(await me()).toBe(false);
    await setting(true);
    expect(await me()).toBe(true);
  });
});

describe('team routing settings API', () => {
  it('admins set weights, max load and policy; bad input changes nothing; other tenants get 404', async () => {
    const acc = await createAccount(t());
    const teamId = await createTeam(t(), acc.accountId);
    const url = `/api/v1/teams/${teamId}/routing`;
    const put = (headers: Record<string, string>, payload: object) => t().app.inject({ method: 'PUT', url, headers, payload });
    const get = await t().app.inject({ method: 'GET', url, headers: acc.owner.headers });
    const keep = { mode: 'keep', graceMinutes: 15 };
    expect(get.json().data).toEqual({
      teamId,
      weights: {},
      maxLoad: 1,
      policy: 'skills',
      offerTimeoutSeconds: null,
      offlineConversations: keep,
    });
    expect((await put({}, { maxLoad: 2 })).statusCode).toBe(401);
    const agent = await createUser(t(), acc.accountId, 'agent');
    expect((await put(agent.headers, { maxLoad: 2 })).statusCode).toBe(403);
    for (const payload of [
      { weights: { voice: 2 } },
      { weights: { fax: 0.5 } },
      { policy: 'random' },
      { maxLoad: -1 },
      { offlineConversations: { mode: 'drop' } },
      { offlineConversations: { graceMinutes: 1441 } },
      { offlineConversations: { graceMinutes: 1.5 } },
      { offlineConversations: { mode: 'requeue', after: 5 } },
    ]) {
      expect((await put(acc.owner.headers, payload)).statusCode).toBe(422);
    }
    const malformed = await t().app.inject({
      method: 'PUT',
      url,
      headers: { ...acc.owner.headers, 'content-type': 'application/json' },
      payload: '{"maxLoad":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(
      await read(acc.owner.ctx, (tx) => tx.select().from(teamRoutingSettings).where(eq(teamRoutingSettings.accountId, acc.accountId))),
    ).toEqual([]);

    const ok = await put(acc.owner.headers, { weights: { email: 0.2 }, maxLoad: 2, policy: 'least_loaded' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().data).toEqual({
      teamId,
      weights: { email: 0.2 },
      maxLoad: 2,
      policy: 'least_loaded',
      offerTimeoutSeconds: null,
      offlineConversations: keep,
    });
    const partial = await put(acc.owner.headers, { weights: { voice: 0.5 }, offlineConversations: { mode: 'requeue' } });
    expect(partial.json().data).toEqual({
      teamId,
      weights: { email: 0.2, voice: 0.5 },
      maxLoad: 2,
      policy: 'least_loaded',
      offerTimeoutSeconds: null,
      offlineConversations: { mode: 'requeue', graceMinutes: 15 },
    });
    const grace = await put(acc.owner.headers, { offlineConversations: { graceMinutes: 0 } });
    expect(grace.json().data.offlineConversations).toEqual({ mode: 'requeue', graceMinutes: 0 });
    expect((await t().app.inject({ method: 'GET', url, headers: agent.headers })).json().data.offlineConversations).toEqual({
      mode: 'requeue',
      graceMinutes: 0,
    });

    const other = await createAccount(t());
    expect((await put(other.owner.headers, { maxLoad: 3 })).statusCode).toBe(404);
    expect((await t().app.inject({ method: 'GET', url, headers: other.owner.headers })).statusCode).toBe(404);
  });
});

describe('skills and routing profiles API', () => {
  it('creates skills (names stored verbatim), sets proficiencies and languages, rejects bad input without change', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const post = (headers: Record<string, string>, payload: object) =>
      t().app.inject({ method: 'POST', url: '/api/v1/skills', headers, payload });
    expect((await post({}, { name: 'Billing' })).statusCode).toBe(401);
    expect((await post(agent.headers, { name: 'Billing' })).statusCode).toBe(403);
    expect((await post(acc.owner.headers, { name: 'x'.repeat(101) })).statusCode).toBe(422);
    const created = await post(acc.owner.headers, { name: SCRIPT });
    expect(created.statusCode).toBe(201);
    expect(created.json().data.name).toBe(SCRIPT);
    expect((await post(acc.owner.headers, { name: SCRIPT.toUpperCase() })).statusCode).toBe(409);
    const list = await t().app.inject({ method: 'GET', url: '/api/v1/skills', headers: agent.headers });
    expect(list.json().data.map((s: { name: string }) => s.name)).toEqual([SCRIPT]);
    const skillId = created.json().data.id;

    const url = `/api/v1/users/${agent.userId}/routing-profile`;
    const put = (headers: Record<string, string>, payload: object) => t().app.inject({ method: 'PUT', url, headers, payload });
    expect((await put(agent.headers, { skills: [], languages: [] })).statusCode).toBe(403);
    expect((await put(acc.owner.headers, { skills: [{ skillId, proficiency: 6 }], languages: [] })).statusCode).toBe(422);
    expect((await put(acc.owner.headers, { skills: [{ skillId: acc.accountId, proficiency: 3 }], languages: [] })).statusCode).toBe(422);
    expect((await put(acc.owner.headers, { skills: [], languages: ['english!'] })).statusCode).toBe(422);
    expect((await t().app.inject({ method: 'GET', url, headers: agent.headers })).json().data).toEqual({
      userId: agent.userId,
      skills: [],
      languages: [],
    });

    const ok = await put(acc.owner.headers, { skills: [{ skillId, proficiency: 4 }], languages: ['EN', 'pt-BR'] });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().data).toEqual({
      userId: agent.userId,
      skills: [{ skillId, name: SCRIPT, proficiency: 4 }],
      languages: ['en', 'pt-br'],
    });

    const other = await createAccount(t());
    expect(
      (await t().app.inject({ method: 'PUT', url, headers: other.owner.headers, payload: { skills: [], languages: [] } })).statusCode,
    ).toBe(404);
    expect((await t().app.inject({ method: 'DELETE', url: `/api/v1/skills/${skillId}`, headers: other.owner.headers })).statusCode).toBe(
      404,
    );
    expect((await t().app.inject({ method: 'DELETE', url: `/api/v1/skills/${skillId}`, headers: acc.owner.headers })).statusCode).toBe(204);
    expect(await read(acc.owner.ctx, (tx) => tx.select().from(skills).where(eq(skills.accountId, acc.accountId)))).toEqual([]);
  });
});

describe('routing rules API', () => {
  it('adds ordered rules and rejects bad definitions with a clear error and no change', async () => {
    const acc = await createAccount(t());
    const skill = (
      await t().app.inject({ method: 'POST', url: '/api/v1/skills', headers: acc.owner.headers, payload: { name: 'Billing' } })
    ).json().data;
    const post = (headers: Record<string, string>, payload: object) =>
      t().app.inject({ method: 'POST', url: '/api/v1/routing/rules', headers, payload });
    const rule = {
      name: SCRIPT,
      conditions: {
        channelKinds: ['email'],
        tags: ['billing'],
        vip: true,
        segments: ['enterprise'],
        intents: ['refund'],
        languages: ['de'],
      },
      actions: { requiredSkills: [{ skillId: skill.id, minProficiency: 3 }], language: 'de', priorityBoost: 10 },
      relaxation: [
        { afterSeconds: 120, drop: 'proficiency' },
        { afterSeconds: 300, drop: 'skills' },
      ],
    };
    expect((await post({}, rule)).statusCode).toBe(401);
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    expect((await post(analyst.headers, rule)).statusCode).toBe(403);
    const cases: [object, string][] = [
      [{ ...rule, conditions: { colour: 'red' } }, 'conditions'],
      [{ ...rule, actions: { requiredSkills: [{ skillId: acc.accountId, minProficiency: 1 }] } }, 'actions.requiredSkills'],
      [{ ...rule, actions: { teamId: acc.accountId } }, 'actions.teamId'],
      [
        {
          ...rule,
          relaxation: [
            { afterSeconds: 300, drop: 'skills' },
            { afterSeconds: 60, drop: 'language' },
          ],
        },
        'relaxation',
      ],
      [{ ...rule, relaxation: [{ afterSeconds: 60, drop: 'everything' }] }, 'relaxation.0.drop'],
    ];
    for (const [payload, path] of cases) {
      const res = await post(acc.owner.headers, payload);
      expect(res.statusCode, path).toBe(422);
      expect(
        res
          .json()
          .errors.map((e: { path: string }) => e.path)
          .join(),
      ).toContain(path);
    }
    expect(await read(acc.owner.ctx, (tx) => tx.select().from(routingRules).where(eq(routingRules.accountId, acc.accountId)))).toEqual([]);

    const first = await post(acc.owner.headers, rule);
    expect(first.statusCode).toBe(201);
    expect(first.json().data).toMatchObject({ name: SCRIPT, position: 0, active: true, conditions: rule.conditions });
    const second = await post(acc.owner.headers, { name: 'Everything else', actions: {} });
    expect(second.json().data).toMatchObject({ position: 1, conditions: {}, actions: { requiredSkills: [], priorityBoost: 0 } });
    const agent = await createUser(t(), acc.accountId, 'agent');
    const list = await t().app.inject({ method: 'GET', url: '/api/v1/routing/rules', headers: agent.headers });
    expect(list.json().data.map((r: { name: string }) => r.name)).toEqual([SCRIPT, 'Everything else']);
    // Replace and reorder: same validation, 404 for another tenant, 403 for agents, nothing changes on a bad request.
    const firstId = first.json().data.id as string;
    const secondId = second.json().data.id as string;
    const put = (url: string, headers: Record<string, string>, payload: object) =>
      t().app.inject({ method: 'PUT', url: `/api/v1/routing/rules${url}`, headers, payload });
    const renamed = await put(`/${secondId}`, acc.owner.headers, { name: 'Catch-all', actions: { priorityBoost: 5 } });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().data).toMatchObject({ name: 'Catch-all', position: 1, actions: { priorityBoost: 5 } });
    expect((await put(`/${secondId}`, agent.headers, { name: 'x', actions: {} })).statusCode).toBe(403);
    expect(
      (await put(`/${secondId}`, acc.owner.headers, { name: 'x', actions: { teamId: '00000000-0000-4000-8000-000000000000' } })).statusCode,
    ).toBe(422);
    expect((await put('/order', acc.owner.headers, { ids: [secondId] })).statusCode).toBe(422);
    expect((await put('/order', acc.owner.headers, { ids: [secondId, secondId] })).statusCode).toBe(422);
    const names = async () =>
      (await t().app.inject({ url: '/api/v1/routing/rules', headers: agent.headers })).json().data.map((r: { name: string }) => r.name);
    expect(await names()).toEqual([SCRIPT, 'Catch-all']);
    const reordered = await put('/order', acc.owner.headers, { ids: [secondId, firstId] });
    expect(reordered.statusCode).toBe(200);
    expect(await names()).toEqual(['Catch-all', SCRIPT]);
    const other = await createAccount(t());
    expect((await put(`/${secondId}`, other.owner.headers, { name: 'x', actions: {} })).statusCode).toBe(404);
    expect((await put('/order', other.owner.headers, { ids: [secondId, firstId] })).statusCode).toBe(422);
    expect(
      (await t().app.inject({ method: 'DELETE', url: `/api/v1/routing/rules/${first.json().data.id}`, headers: other.owner.headers }))
        .statusCode,
    ).toBe(404);
    expect(
      (await t().app.inject({ method: 'DELETE', url: `/api/v1/routing/rules/${first.json().data.id}`, headers: acc.owner.headers }))
        .statusCode,
    ).toBe(204);
  });
});

describe('routing decisions and queue API', () => {
  it('lists decisions newest first with keyset pages; 401, 403 analyst, 404 other tenant', async () => {
    const acc = await createAccount(t());
    const web = await createChannel(t(), acc.accountId, 'web');
    const conv = await inbound(acc.owner, web);
    await t().settle(); // nobody online: queued
    const agent = await createUser(t(), acc.accountId, 'agent');
    await goOnline(agent);
    await t().settle(); // agent online: drained and assigned
    const url = `/api/v1/conversations/${conv.id}/routing-decisions`;
    expect((await t().app.inject({ method: 'GET', url })).statusCode).toBe(401);
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    expect((await t().app.inject({ method: 'GET', url, headers: analyst.headers })).statusCode).toBe(403);
    const other = await createAccount(t());
    expect((await t().app.inject({ method: 'GET', url, headers: other.owner.headers })).statusCode).toBe(404);
    expect((await t().app.inject({ method: 'GET', url: `${url}?limit=0`, headers: agent.headers })).statusCode).toBe(422);
    expect((await t().app.inject({ method: 'GET', url: `${url}?cursor=nonsense`, headers: agent.headers })).statusCode).toBe(422);

    const page1 = (await t().app.inject({ method: 'GET', url: `${url}?limit=1`, headers: agent.headers })).json();
    expect(page1.data.map((d: { outcome: string }) => d.outcome)).toEqual(['assigned']);
    const page2 = (
      await t().app.inject({ method: 'GET', url: `${url}?limit=1&cursor=${page1.page.nextCursor}`, headers: agent.headers })
    ).json();
    expect(page2.data.map((d: { outcome: string }) => d.outcome)).toEqual(['queued']);
    expect(page2.data[0].explanation.why).toBe('queued: no candidate is online, has capacity and the required skills');
    expect(page2.page.nextCursor).toBeNull();

    expect((await t().app.inject({ method: 'GET', url: '/api/v1/routing/queue', headers: agent.headers })).statusCode).toBe(403);
    const queue = await t().app.inject({ method: 'GET', url: '/api/v1/routing/queue', headers: acc.owner.headers });
    expect(queue.json().data).toEqual([]);
  });
});
