import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { businessHoursCalendars, slaPolicies } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import { createAccount, createTeam, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';

const t = useTestApp();

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT', url: string, headers: Record<string, string>, payload?: object) =>
  t().app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
const rows = (table: typeof businessHoursCalendars | typeof slaPolicies, accountId: string) =>
  withSystem(t().database.db, async (tx) => (await tx.select({ n: count() }).from(table).where(eq(table.accountId, accountId)))[0]!.n);

const vipPolicy = { name: 'VIP', conditions: { vip: true }, firstResponseSeconds: 3600, resolutionSeconds: 8 * 3600 };
const berlinOffice = {
  name: 'Berlin office',
  timeZone: 'Europe/Berlin',
  weekly: {
    monday: [
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ],
    friday: [{ start: '09:00', end: '15:00' }],
  },
  holidays: [{ date: '2026-12-25', name: 'Christmas' }],
};

describe('business-hours calendars API', () => {
  it('lets an admin create, read, list, change and delete a calendar assigned to a team and a channel', async () => {
    const acc = await createAccount(t());
    const teamId = await createTeam(t(), acc.accountId);
    const admin = await createUser(t(), acc.accountId, 'admin');
    const created = await call('POST', '/business-hours', admin.headers, {
      ...berlinOffice,
      teamIds: [teamId],
      channelIds: [acc.apiChannelId],
    });
    expect(created.statusCode).toBe(201);
    const cal = created.json().data;
    expect(cal).toMatchObject({ ...berlinOffice, teamIds: [teamId], channelIds: [acc.apiChannelId] });

    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const one = await call('GET', `/business-hours/${cal.id}`, analyst.headers);
    expect(one.statusCode).toBe(200);
    expect(one.json().policies[0].abilities).toEqual({ read: true, manage: false });
    const list = await call('GET', '/business-hours', analyst.headers);
    expect(list.json()).toMatchObject({ data: [{ id: cal.id }], page: { nextCursor: null, limit: 25 } });

    const patched = await call('PATCH', `/business-hours/${cal.id}`, admin.headers, { timeZone: 'America/New_York', teamIds: [] });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().data).toMatchObject({ timeZone: 'America/New_York', teamIds: [], weekly: berlinOffice.weekly });

    expect((await call('DELETE', `/business-hours/${cal.id}`, admin.headers)).statusCode).toBe(204);
    expect((await call('GET', `/business-hours/${cal.id}`, admin.headers)).statusCode).toBe(404);
  });

  it('rejects overlapping intervals, an unknown zone and end <= start with 422 and clear messages, storing nothing', async () => {
    const acc = await createAccount(t());
    const res = await call('POST', '/business-hours', acc.owner.headers, {
      name: 'Broken',
      timeZone: 'Europe/Atlantis',
      weekly: {
        monday: [
          { start: '09:00', end: '13:00' },
          { start: '12:00', end: '17:00' },
        ],
        tuesday: [{ start: '18:00', end: '08:00' }],
      },
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const errors = res.json().errors.map((e: { path: string; message: string }) => `${e.path}: ${e.message}`);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringContaining('"Europe/Atlantis" is not a known IANA time zone'),
        expect.stringContaining('12:00-17:00 overlaps 09:00-13:00'),
        expect.stringContaining('end 08:00 must be after start 18:00'),
      ]),
    );
    const team = await call('POST', '/business-hours', acc.owner.headers, {
      ...berlinOffice,
      teamIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(team.statusCode).toBe(422);
    expect(team.json().errors[0].path).toBe('body.teamIds');
    expect((await call('POST', '/business-hours', acc.owner.headers, { ...berlinOffice, extra: 1 })).statusCode).toBe(422);
    expect((await call('POST', '/business-hours', acc.owner.headers, { ...berlinOffice, name: 'x'.repeat(121) })).statusCode).toBe(422);
    const never = await call('POST', '/business-hours', acc.owner.headers, { ...berlinOffice, weekly: {} });
    expect(never.json().errors).toEqual([
      { path: 'body.weekly', message: 'The calendar is never open: give at least one weekday an interval' },
    ]);
    // Under an hour a week would put a one-year target thousands of years away.
    const sparse = await call('POST', '/business-hours', acc.owner.headers, {
      ...berlinOffice,
      weekly: { monday: [{ start: '09:00', end: '09:30' }] },
    });
    expect(sparse.statusCode).toBe(422);
    expect(sparse.json().errors).toEqual([{ path: 'body.weekly', message: 'The calendar must be open at least one hour a week' }]);
    const malformed = await t().app.inject({
      method: 'POST',
      url: '/api/v1/business-hours',
      headers: { ...acc.owner.headers, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(await rows(businessHoursCalendars, acc.accountId)).toBe(0);

    const ok = (await call('POST', '/business-hours', acc.owner.headers, berlinOffice)).json().data;
    const bad = await call('PATCH', `/business-hours/${ok.id}`, acc.owner.headers, {
      weekly: { friday: [{ start: '17:00', end: '17:00' }] },
    });
    expect(bad.statusCode).toBe(422);
    expect((await call('GET', `/business-hours/${ok.id}`, acc.owner.headers)).json().data.weekly).toEqual(berlinOffice.weekly);
  });

  it('answers 401 without credentials, 403 to a supervisor on writes and 404 for another account\u2019s calendar', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const supervisor = await createUser(t(), acc.accountId, 'supervisor');
    expect((await call('GET', '/business-hours', {})).statusCode).toBe(401);
    expect((await call('POST', '/business-hours', {}, berlinOffice)).statusCode).toBe(401);
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    expect((await call('POST', '/business-hours', analyst.headers, berlinOffice)).statusCode).toBe(403);
    const denied = await call('POST', '/business-hours', supervisor.headers, berlinOffice);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('forbidden');
    expect(await rows(businessHoursCalendars, acc.accountId)).toBe(0);

    const theirs = (await call('POST', '/business-hours', other.owner.headers, berlinOffice)).json().data;
    expect((await call('GET', `/business-hours/${theirs.id}`, acc.owner.headers)).statusCode).toBe(404);
    expect((await call('PATCH', `/business-hours/${theirs.id}`, acc.owner.headers, { name: 'Mine' })).statusCode).toBe(404);
    expect((await call('DELETE', `/business-hours/${theirs.id}`, acc.owner.headers)).statusCode).toBe(404);
    expect((await call('GET', `/business-hours/${theirs.id}`, other.owner.headers)).json().data.name).toBe('Berlin office');
    // Another tenant's channel cannot be assigned either.
    const steal = await call('POST', '/business-hours', acc.owner.headers, { ...berlinOffice, channelIds: [other.apiChannelId] });
    expect(steal.statusCode).toBe(422);
  });

  it('stores script and SQL payloads in names verbatim', async () => {
    const acc = await createAccount(t());
    const name = `<script>alert(1)</script>'; drop table business_hours_calendars; --`;
    const res = await call('POST', '/business-hours', acc.owner.headers, { ...berlinOffice, name });
    expect(res.statusCode).toBe(201);
    expect((await call('GET', `/business-hours/${res.json().data.id}`, acc.owner.headers)).json().data.name).toBe(name);
    const policy = await call('POST', '/sla-policies', acc.owner.headers, { ...vipPolicy, name, escalation: { addTag: '<b>x</b>' } });
    expect(policy.statusCode).toBe(201);
    expect((await call('GET', `/sla-policies/${policy.json().data.id}`, acc.owner.headers)).json().data).toMatchObject({
      name,
      escalation: { addTag: '<b>x</b>' },
    });
  });
});

describe('SLA policies API', () => {
  it('creates policies in order, reorders them, changes and deletes one', async () => {
    const acc = await createAccount(t());
    const admin = await createUser(t(), acc.accountId, 'admin');
    const teamId = await createTeam(t(), acc.accountId);
    const a = (await call('POST', '/sla-policies', admin.headers, vipPolicy)).json().data;
    const b = (
      await call('POST', '/sla-policies', admin.headers, {
        name: 'Urgent billing',
        conditions: { priorities: ['urgent', 'high'], teamIds: [teamId], channelKinds: ['email'] },
        firstResponseSeconds: 900,
        nextResponseSeconds: 1800,
        warningLeadSeconds: 300,
        escalation: { raisePriorityTo: 'urgent', reassignTeamId: teamId, addTag: 'sla-breach' },
      })
    ).json().data;
    expect(a).toMatchObject({ position: 0, active: true, warningLeadSeconds: null, nextResponseSeconds: null, escalation: {} });
    expect(b).toMatchObject({ position: 1, escalation: { addTag: 'sla-breach' } });

    const order = await call('PUT', '/sla-policies/order', admin.headers, { ids: [b.id, a.id] });
    expect(order.statusCode).toBe(200);
    expect(order.json().data.map((p: { name: string; position: number }) => [p.name, p.position])).toEqual([
      ['Urgent billing', 0],
      ['VIP', 1],
    ]);
    expect((await call('GET', '/sla-policies', admin.headers)).json().data.map((p: { id: string }) => p.id)).toEqual([b.id, a.id]);

    const patched = await call('PATCH', `/sla-policies/${a.id}`, admin.headers, { active: false, resolutionSeconds: null });
    expect(patched.json().data).toMatchObject({ active: false, resolutionSeconds: null, firstResponseSeconds: 3600 });
    expect((await call('DELETE', `/sla-policies/${a.id}`, admin.headers)).statusCode).toBe(204);
    expect((await call('GET', `/sla-policies/${a.id}`, admin.headers)).statusCode).toBe(404);
  });

  it('rejects bad definitions with clear errors and no state change', async () => {
    const acc = await createAccount(t());
    const h = acc.owner.headers;
    const expectProblem = async (payload: object, path: string, message: RegExp) => {
      const res = await call('POST', '/sla-policies', h, payload);
      expect(res.statusCode).toBe(422);
      expect(res.json().errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: `body.${path}`, message: expect.stringMatching(message) })]),
      );
    };
    await expectProblem({ name: 'No targets' }, 'firstResponseSeconds', /at least one target/);
    await expectProblem(
      { name: 'Lead', firstResponseSeconds: 600, warningLeadSeconds: 600 },
      'warningLeadSeconds',
      /shorter than every target/,
    );
    await expectProblem(
      { name: 'Prio', firstResponseSeconds: 600, conditions: { priorities: ['critical'] } },
      'conditions.priorities.0',
      /./,
    );
    await expectProblem({ name: 'Cond', firstResponseSeconds: 600, conditions: { mood: 'happy' } }, 'conditions', /mood/);
    await expectProblem({ name: 'Neg', firstResponseSeconds: -5 }, 'firstResponseSeconds', /./);
    await expectProblem(
      { name: 'Team', firstResponseSeconds: 600, conditions: { teamIds: ['00000000-0000-4000-8000-000000000000'] } },
      'conditions.teamIds',
      /does not exist/,
    );
    expect(await rows(slaPolicies, acc.accountId)).toBe(0);

    const p = (await call('POST', '/sla-policies', h, vipPolicy)).json().data;
    const clear = await call('PATCH', `/sla-policies/${p.id}`, h, { firstResponseSeconds: null, resolutionSeconds: null });
    expect(clear.statusCode).toBe(422);
    expect(clear.json().errors[0].message).toMatch(/at least one target/);
    const order = await call('PUT', '/sla-policies/order', h, { ids: [p.id, p.id] });
    expect(order.statusCode).toBe(422);
    expect((await call('GET', `/sla-policies/${p.id}`, h)).json().data).toMatchObject({ firstResponseSeconds: 3600, position: 0 });
  });

  it('answers 401, 403 to an agent on writes, 404 for another account\u2019s policy', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    expect((await call('GET', '/sla-policies', {})).statusCode).toBe(401);
    expect((await call('POST', '/sla-policies', agent.headers, vipPolicy)).statusCode).toBe(403);
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    expect((await call('POST', '/sla-policies', analyst.headers, vipPolicy)).statusCode).toBe(403);
    expect((await call('PUT', '/sla-policies/order', analyst.headers, { ids: ['00000000-0000-4000-8000-000000000000'] })).statusCode).toBe(
      403,
    );
    expect((await call('GET', '/sla-policies', agent.headers)).statusCode).toBe(200);
    const theirs = (await call('POST', '/sla-policies', other.owner.headers, vipPolicy)).json().data;
    expect((await call('GET', `/sla-policies/${theirs.id}`, acc.owner.headers)).statusCode).toBe(404);
    expect((await call('PATCH', `/sla-policies/${theirs.id}`, acc.owner.headers, { name: 'x' })).statusCode).toBe(404);
    expect((await call('DELETE', `/sla-policies/${theirs.id}`, acc.owner.headers)).statusCode).toBe(404);
    expect((await call('PUT', '/sla-policies/order', acc.owner.headers, { ids: [theirs.id] })).statusCode).toBe(422);
    expect(await rows(slaPolicies, acc.accountId)).toBe(0);
    expect((await call('GET', `/sla-policies/${theirs.id}`, other.owner.headers)).json().data.name).toBe('VIP');
  });
});
