import { addBusinessSeconds, businessSecondsBetween, type BusinessCalendar } from '@touchpoint/shared';
import { and, eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { events } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import { createAccount, createTeam, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { slaClock } from './jobs';

const t = useTestApp();
afterEach(() => {
  slaClock.now = () => new Date();
});

const nineToFive = [{ start: '09:00', end: '17:00' }];
const berlinWeekdays: BusinessCalendar = {
  timeZone: 'Europe/Berlin',
  weekly: { monday: nineToFive, tuesday: nineToFive, wednesday: nineToFive, thursday: nineToFive, friday: nineToFive },
  holidays: [],
};

async function startConversation(headers: Record<string, string>) {
  const res = await api('POST', '/conversations', headers, {
    customer: { name: 'Dana', email: `dana-${Math.random().toString(36).slice(2)}@example.test` },
    message: { body: 'Hello, my order is late' },
  });
  expect(res.statusCode).toBe(201);
  return res.json().data as { conversation: { id: string; createdAt: string } };
}
const postMessage = (headers: Record<string, string>, id: string, payload: object) =>
  api('POST', `/conversations/${id}/messages`, headers, payload);
const eventsOf = (accountId: string, conversationId: string) =>
  withSystem(t().database.db, (tx) =>
    tx
      .select()
      .from(events)
      .where(and(eq(events.accountId, accountId), eq(events.conversationId, conversationId)))
      .orderBy(events.createdAt, events.id),
  );
const api = (method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string>, payload?: object) =>
  t().app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
const slaOf = async (headers: Record<string, string>, id: string) => (await api('GET', `/conversations/${id}/sla`, headers)).json().data;
const slaJobs = async (conversationId: string) =>
  (
    await t().database.pool.query(
      `select data->>'kind' as kind, data->>'target' as target, data->>'dueAt' as "dueAt", start_after as "startAfter", state
         from pgboss.job where name = 'sla-check' and data->>'conversationId' = $1 order by start_after`,
      [conversationId],
    )
  ).rows as { kind: string; target: string; dueAt: string; startAfter: Date; state: string }[];
/** Makes scheduled SLA checks due now (instead of sleeping until their time); the clock says what time it "is". */
const runChecksAt = async (now: Date, kind?: 'warning' | 'breach') => {
  slaClock.now = () => now;
  await t().database.pool.query(
    `update pgboss.job set start_after = now() where name = 'sla-check' and state = 'created' and ($1::text is null or data->>'kind' = $1)`,
    [kind ?? null],
  );
  await t().settle();
};
const typesOf = async (accountId: string, conversationId: string) => (await eventsOf(accountId, conversationId)).map((e) => e.type);
/**
 * Moves a status change's time, as if it had happened then (the clock pauses and resumes at event times). The
 * listener reads the event when its job runs, which in tests is only inside settle().
 */
/** Sets when a status change happened: on the stored event and on the listener jobs that carry it. */
const backdate = async (accountId: string, conversationId: string, to: string, at: Date) => {
  const moved = await withSystem(t().database.db, (tx) =>
    tx
      .update(events)
      .set({ createdAt: at })
      .where(
        and(
          eq(events.accountId, accountId),
          eq(events.conversationId, conversationId),
          eq(events.type, 'conversation.status_changed'),
          sql`${events.payload}->>'to' = ${to}`,
        ),
      )
      .returning({ id: events.id }),
  );
  await t().database.pool.query(
    `update pgboss.job set data = jsonb_set(data, '{event,createdAt}', to_jsonb($1::text))
      where name = 'listener' and data->'event'->>'id' = any($2::text[])`,
    [at.toISOString(), moved.map((m) => m.id)],
  );
};

describe('SLA clock on conversations', () => {
  it('schedules warning and breach at the right business time, fires them once, and escalates through conversation commands', async () => {
    const acc = await createAccount(t());
    const teamId = await createTeam(t(), acc.accountId, 'Escalations');
    const agent = await createUser(t(), acc.accountId, 'agent');
    const h = acc.owner.headers;
    expect(
      (await api('POST', '/business-hours', h, { name: 'Berlin', ...berlinWeekdays, channelIds: [acc.apiChannelId] })).statusCode,
    ).toBe(201);
    const policy = await api('POST', '/sla-policies', h, {
      name: 'Standard',
      firstResponseSeconds: 3600,
      escalation: { raisePriorityTo: 'urgent', reassignTeamId: teamId, addTag: 'sla-breach' },
    });
    expect(policy.statusCode).toBe(201);

    const { conversation } = await startConversation(agent.headers);
    await t().settle();
    const createdAt = new Date(conversation.createdAt);
    // The due time is one business hour of the Berlin calendar after creation; the warning 20% (12 min) before.
    const due = addBusinessSeconds(berlinWeekdays, createdAt, 3600)!;
    const warnAt = addBusinessSeconds(berlinWeekdays, createdAt, 2880)!;
    const sla = await slaOf(agent.headers, conversation.id);
    expect(sla).toMatchObject({
      policyName: 'Standard',
      paused: false,
      firstResponse: { status: 'pending', dueAt: due.toISOString(), warned: false },
    });
    expect(sla.nextResponse).toEqual({ status: 'none', dueAt: null, remainingBusinessSeconds: null, warned: false });
    expect(sla.firstResponse.remainingBusinessSeconds).toBeGreaterThan(3500);
    expect(sla.firstResponse.remainingBusinessSeconds).toBeLessThanOrEqual(3600);
    const jobs = await slaJobs(conversation.id);
    expect(jobs.map((j) => [j.kind, j.startAfter.toISOString()])).toEqual([
      ['warning', warnAt.toISOString()],
      ['breach', due.toISOString()],
    ]);

    // At the warning time: sla.warning, no breach.
    await runChecksAt(warnAt, 'warning');
    expect(await typesOf(acc.accountId, conversation.id)).toContain('sla.warning');
    expect((await slaOf(h, conversation.id)).firstResponse).toMatchObject({ status: 'pending', warned: true });

    // A second before due (e.g. a node whose clock is behind): no breach yet; the check is re-scheduled for the due time.
    await runChecksAt(new Date(due.getTime() - 1000), 'breach');
    expect(await typesOf(acc.accountId, conversation.id)).not.toContain('sla.breached');

    // At the due time: breached once, escalated as the system (priority, team, tag with their usual events).
    await runChecksAt(due);
    const types = await typesOf(acc.accountId, conversation.id);
    expect(types.filter((x) => x === 'sla.breached')).toHaveLength(1);
    expect(types).toEqual(expect.arrayContaining(['conversation.priority_changed', 'conversation.assigned', 'conversation.tags_changed']));
    const conv = (await api('GET', `/conversations/${conversation.id}`, h)).json().data;
    expect(conv).toMatchObject({ priority: 'urgent', teamId, tags: ['sla-breach'] });
    const breached = (await eventsOf(acc.accountId, conversation.id)).find((e) => e.type === 'sla.breached')!;
    expect(breached).toMatchObject({
      actorKind: 'system',
      payload: {
        target: 'firstResponse',
        dueAt: due.toISOString(),
        policyName: 'Standard',
        conversation: { id: conversation.id, priority: 'normal' },
      },
    });
    expect((await slaOf(h, conversation.id)).firstResponse.status).toBe('breached');

    // The agent replies late: the target stays breached. Running every check again fires nothing new.
    expect((await postMessage(agent.headers, conversation.id, { body: 'Sorry!', kind: 'outgoing' })).statusCode).toBe(201);
    await t().settle();
    await t().database.pool.query(`update pgboss.job set state = 'created', start_after = now() where name = 'sla-check'`);
    await runChecksAt(new Date(due.getTime() + 3600_000));
    expect((await typesOf(acc.accountId, conversation.id)).filter((x) => x === 'sla.breached' || x === 'sla.warning')).toEqual([
      'sla.warning',
      'sla.breached',
    ]);
    expect((await slaOf(h, conversation.id)).firstResponse.status).toBe('breached');
  });

  it('pauses while pending: the due time moves by the paused business time and the old breach job is a no-op', async () => {
    const acc = await createAccount(t());
    const h = acc.owner.headers;
    await api('POST', '/sla-policies', h, { name: 'Round the clock', firstResponseSeconds: 7200, resolutionSeconds: 86400 });
    const { conversation } = await startConversation(h);
    await t().settle();
    const createdAt = new Date(conversation.createdAt);
    const due = (await slaOf(h, conversation.id)).firstResponse.dueAt;
    expect(due).toBe(new Date(createdAt.getTime() + 7200_000).toISOString()); // no calendar: 24/7 UTC

    // Pending from +10 min to +40 min (event times set explicitly instead of waiting).
    await api('POST', `/conversations/${conversation.id}/status`, h, { status: 'pending' });
    await backdate(acc.accountId, conversation.id, 'pending', new Date(createdAt.getTime() + 600_000));
    await t().settle();
    expect(await slaOf(h, conversation.id)).toMatchObject({
      paused: true,
      pausedAt: new Date(createdAt.getTime() + 600_000).toISOString(),
    });
    // While paused, the breach at the old due time does not fire.
    await runChecksAt(new Date(Date.parse(due) + 1000), 'breach');
    expect(await typesOf(acc.accountId, conversation.id)).not.toContain('sla.breached');

    await api('POST', `/conversations/${conversation.id}/status`, h, { status: 'open' });
    await backdate(acc.accountId, conversation.id, 'open', new Date(createdAt.getTime() + 2_400_000));
    await t().settle();
    const resumed = await slaOf(h, conversation.id);
    expect(resumed).toMatchObject({
      paused: false,
      pausedBusinessSeconds: 1800,
      firstResponse: { status: 'pending', dueAt: new Date(Date.parse(due) + 1_800_000).toISOString() },
      resolution: { status: 'pending', dueAt: new Date(createdAt.getTime() + (86400 + 1800) * 1000).toISOString() },
    });
    // The old due time is past: no breach, because the clock has moved on.
    await runChecksAt(new Date(Date.parse(due) + 60_000));
    expect(await typesOf(acc.accountId, conversation.id)).not.toContain('sla.breached');
    expect((await slaJobs(conversation.id)).some((j) => j.kind === 'breach' && j.dueAt === resumed.firstResponse.dueAt)).toBe(true);
  });

  it('first response met by the agent, next response started by the customer and met by the next reply, resolution met on resolve', async () => {
    const acc = await createAccount(t());
    const h = acc.owner.headers;
    await api('POST', '/sla-policies', h, { name: 'VIP', conditions: { vip: true }, firstResponseSeconds: 600 });
    await api('POST', '/sla-policies', h, { name: 'All', firstResponseSeconds: 3600, nextResponseSeconds: 1800, resolutionSeconds: 86400 });
    const { conversation } = await startConversation(h);
    await postMessage(h, conversation.id, { body: 'On it', kind: 'outgoing' });
    await t().settle();
    expect(await slaOf(h, conversation.id)).toMatchObject({
      policyName: 'All',
      firstResponse: { status: 'met' },
      nextResponse: { status: 'none' },
    });
    await postMessage(h, conversation.id, { body: 'Any news?', kind: 'incoming' });
    await t().settle();
    const waiting = await slaOf(h, conversation.id);
    expect(waiting.nextResponse.status).toBe('pending');
    await postMessage(h, conversation.id, { body: 'Shipped today', kind: 'outgoing' });
    await api('POST', `/conversations/${conversation.id}/status`, h, { status: 'resolved' });
    await t().settle();
    expect(await slaOf(h, conversation.id)).toMatchObject({ nextResponse: { status: 'met' }, resolution: { status: 'met' } });
    await runChecksAt(new Date(Date.now() + 2 * 86400_000));
    expect(await typesOf(acc.accountId, conversation.id)).not.toContain('sla.breached');
  });
});

describe('SLA clock edge cases found in review', () => {
  it('resolving while the customer waits records next response as none, first response still met', async () => {
    const acc = await createAccount(t());
    const h = acc.owner.headers;
    await api('POST', '/sla-policies', h, { name: 'All', firstResponseSeconds: 3600, nextResponseSeconds: 1800, resolutionSeconds: 86400 });
    const { conversation } = await startConversation(h); // the customer's first message
    await postMessage(h, conversation.id, { body: 'On it', kind: 'outgoing' });
    await t().settle();
    await postMessage(h, conversation.id, { body: 'Any news?', kind: 'incoming' });
    await t().settle();
    expect((await slaOf(h, conversation.id)).nextResponse.status).toBe('pending');
    // Resolving clears waitingSince without a reply: no next response was given, so none, not met.
    await api('POST', `/conversations/${conversation.id}/status`, h, { status: 'resolved' });
    await t().settle();
    expect(await slaOf(h, conversation.id)).toMatchObject({
      firstResponse: { status: 'met' },
      nextResponse: { status: 'none', remainingBusinessSeconds: null },
      resolution: { status: 'met' },
    });
  });

  it('a one-year resolution target on a Mon-Fri 09-17 calendar (4.2 years of weeks) still has an SLA and a due time', async () => {
    const acc = await createAccount(t());
    const h = acc.owner.headers;
    await api('POST', '/business-hours', h, { name: 'Berlin', ...berlinWeekdays, channelIds: [acc.apiChannelId] });
    expect((await api('POST', '/sla-policies', h, { name: 'Slow', resolutionSeconds: 31_536_000 })).statusCode).toBe(201);
    const { conversation } = await startConversation(h);
    await t().settle();
    const sla = await slaOf(h, conversation.id);
    const createdAt = new Date(conversation.createdAt);
    // 219 weeks of 40h: due more than 4 years after creation, and exactly a year of business time away.
    expect(sla.resolution.status).toBe('pending');
    expect(sla.resolution.dueAt).toBe(addBusinessSeconds(berlinWeekdays, createdAt, 31_536_000)?.toISOString());
    expect(Date.parse(sla.resolution.dueAt) - createdAt.getTime()).toBeGreaterThan(4 * 365 * 86400_000);
    expect(businessSecondsBetween(berlinWeekdays, createdAt, new Date(sla.resolution.dueAt))).toBe(31_536_000);
    expect(sla.resolution.remainingBusinessSeconds).toBeGreaterThan(31_536_000 - 60);
  });
});

describe('SLA policy and calendar follow the conversation', () => {
  it('re-matches on a priority change and a team change, and the team calendar wins over the channel calendar', async () => {
    const acc = await createAccount(t());
    const h = acc.owner.headers;
    const teamId = await createTeam(t(), acc.accountId, 'Night shift');
    const channelCal = (
      await api('POST', '/business-hours', h, { name: 'Berlin', ...berlinWeekdays, channelIds: [acc.apiChannelId] })
    ).json().data;
    const teamCal = (
      await api('POST', '/business-hours', h, {
        name: 'Always',
        timeZone: 'UTC',
        weekly: {
          monday: [{ start: '00:00', end: '24:00' }],
          tuesday: [{ start: '00:00', end: '24:00' }],
          wednesday: [{ start: '00:00', end: '24:00' }],
          thursday: [{ start: '00:00', end: '24:00' }],
          friday: [{ start: '00:00', end: '24:00' }],
          saturday: [{ start: '00:00', end: '24:00' }],
          sunday: [{ start: '00:00', end: '24:00' }],
        },
        teamIds: [teamId],
      })
    ).json().data;
    await api('POST', '/sla-policies', h, { name: 'Urgent', conditions: { priorities: ['urgent'] }, firstResponseSeconds: 600 });
    await api('POST', '/sla-policies', h, { name: 'Team', conditions: { teamIds: [teamId] }, firstResponseSeconds: 1200 });
    await api('POST', '/sla-policies', h, { name: 'All', firstResponseSeconds: 3600 });
    const { conversation } = await startConversation(h);
    await t().settle();
    const createdAt = new Date(conversation.createdAt);
    expect(await slaOf(h, conversation.id)).toMatchObject({
      policyName: 'All',
      calendarId: channelCal.id,
      firstResponse: { dueAt: addBusinessSeconds(berlinWeekdays, createdAt, 3600)?.toISOString() },
    });

    expect((await api('POST', `/conversations/${conversation.id}/assignment`, h, { teamId })).statusCode).toBe(200);
    await t().settle();
    expect(await slaOf(h, conversation.id)).toMatchObject({
      policyName: 'Team',
      calendarId: teamCal.id,
      firstResponse: { status: 'pending', dueAt: new Date(createdAt.getTime() + 1200_000).toISOString() },
    });

    const patch = await t().app.inject({
      method: 'PATCH',
      url: `/api/v1/conversations/${conversation.id}`,
      headers: h,
      payload: { priority: 'urgent' },
    });
    expect(patch.statusCode).toBe(200);
    await t().settle();
    expect(await slaOf(h, conversation.id)).toMatchObject({
      policyName: 'Urgent',
      firstResponse: { status: 'pending', dueAt: new Date(createdAt.getTime() + 600_000).toISOString() },
    });
    // Only the current due time has a live breach check: the earlier ones are no-ops when they run.
    await runChecksAt(new Date(createdAt.getTime() + 3 * 86400_000));
    const breaches = (await eventsOf(acc.accountId, conversation.id)).filter((e) => e.type === 'sla.breached');
    expect(breaches.map((e) => (e.payload as { policyName: string }).policyName)).toEqual(['Urgent']);
  });
});

describe('GET /conversations/:id/sla', () => {
  it('answers 401 without credentials, 404 for another account\u2019s conversation, null without a policy, and reads for analysts', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const { conversation } = await startConversation(acc.owner.headers);
    await t().settle();
    expect((await api('GET', `/conversations/${conversation.id}/sla`, {})).statusCode).toBe(401);
    expect((await api('GET', `/conversations/${conversation.id}/sla`, other.owner.headers)).statusCode).toBe(404);
    expect((await api('GET', `/conversations/not-a-uuid/sla`, acc.owner.headers)).statusCode).toBe(422);
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const res = await api('GET', `/conversations/${conversation.id}/sla`, analyst.headers);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ data: null });
    expect(businessSecondsBetween(berlinWeekdays, new Date(), new Date())).toBe(0);
  });
});
