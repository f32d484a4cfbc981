import type { BusinessCalendar } from '@touchpoint/shared';
import { describe, expect, it } from 'vitest';
import { matchPolicy, reconcile, warningAt, type ConversationFacts, type PolicyTargets, type SlaState } from './clock';

// UTC, Monday to Friday 09:00-17:00. 2026-06-01 is a Monday.
const nineToFive = [{ start: '09:00', end: '17:00' }];
const cal: BusinessCalendar = {
  timeZone: 'UTC',
  weekly: { monday: nineToFive, tuesday: nineToFive, wednesday: nineToFive, thursday: nineToFive, friday: nineToFive },
};
const z = (hhmm: string, day = '01') => new Date(`2026-06-${day}T${hhmm}:00.000Z`);
const policy: PolicyTargets = {
  id: 'p1',
  firstResponseSeconds: 2 * 3600,
  nextResponseSeconds: 3600,
  resolutionSeconds: 8 * 3600,
  warningLeadSeconds: null,
};
const conv = (over: Partial<ConversationFacts> = {}): ConversationFacts => ({
  createdAt: z('16:00'),
  status: 'open',
  firstResponseAt: null,
  waitingSince: z('16:00'),
  lastAgentReplyAt: null,
  resolvedAt: null,
  ...over,
});

describe('SLA clock', () => {
  it('sets due times in business time from the conversation start', () => {
    // Created Mon 16:00. First response 2h: 1h Monday (to 17:00) + 1h Tuesday -> Tue 10:00.
    // Resolution 8h: 1h Monday + 7h Tuesday -> Tue 16:00.
    const s = reconcile(null, conv(), policy, cal, z('16:00'));
    expect(s).toMatchObject({
      firstResponseDueAt: z('10:00', '02'),
      resolutionDueAt: z('16:00', '02'),
      firstResponseStatus: 'pending',
      resolutionStatus: 'pending',
      nextResponseStatus: 'none',
      pausedAt: null,
    });
    // Applying the same event twice changes nothing (at-least-once delivery).
    expect(reconcile(s, conv(), policy, cal, z('16:00'))).toEqual(s);
  });

  it('pauses while pending and shifts due times by the paused business time on reopen', () => {
    const s0 = reconcile(null, conv(), policy, cal, z('16:00'));
    // Pending at Mon 16:30 ...
    const paused = reconcile(s0, conv({ status: 'pending' }), policy, cal, z('16:30'));
    expect(paused.pausedAt).toEqual(z('16:30'));
    expect(reconcile(paused, conv({ status: 'snoozed' }), policy, cal, z('17:30'))).toEqual(paused); // still paused
    // ... open again Tue 09:30: paused 16:30-17:00 + 09:00-09:30 = 1h of business time (the night is not counted).
    const resumed = reconcile(paused, conv({ status: 'open' }), policy, cal, z('09:30', '02'));
    expect(resumed).toMatchObject({
      pausedAt: null,
      pausedBusinessSeconds: 3600,
      firstResponseDueAt: z('11:00', '02'), // Tue 10:00 + 1h
      resolutionDueAt: z('17:00', '02'), // Tue 16:00 + 1h
    });
  });

  it('meets or breaches first response, next response and resolution by when they happen', () => {
    let s = reconcile(null, conv(), policy, cal, z('16:00'));
    // First agent reply Tue 09:45, before the 10:00 due: met.
    const replied = { firstResponseAt: z('09:45', '02'), waitingSince: null, lastAgentReplyAt: z('09:45', '02') };
    s = reconcile(s, conv(replied), policy, cal, z('09:45', '02'));
    expect(s.firstResponseStatus).toBe('met');
    // The customer writes Tue 12:00: a reply is owed within 1h -> next response due 13:00.
    const waiting = conv({ ...replied, waitingSince: z('12:00', '02') });
    s = reconcile(s, waiting, policy, cal, z('12:00', '02'));
    expect(s).toMatchObject({
      nextResponseStatus: 'pending',
      nextResponseDueAt: z('13:00', '02'),
      nextResponseStartedAt: z('12:00', '02'),
    });
    // A second customer message while the reply is still owed does not restart the clock (waitingSince unchanged).
    expect(reconcile(s, waiting, policy, cal, z('12:20', '02'))).toEqual(s);
    // The agent replies at 13:30: too late.
    s = reconcile(s, conv({ ...replied, lastAgentReplyAt: z('13:30', '02') }), policy, cal, z('13:30', '02'));
    expect(s.nextResponseStatus).toBe('breached');
    // Resolved Tue 15:00, before 16:00: met.
    s = reconcile(
      s,
      conv({ ...replied, lastAgentReplyAt: z('13:30', '02'), status: 'resolved', resolvedAt: z('15:00', '02') }),
      policy,
      cal,
      z('15:00', '02'),
    );
    expect(s.resolutionStatus).toBe('met');
  });

  it('a first reply after the due time is a breach, and resolving stops a pending response clock', () => {
    let s = reconcile(null, conv(), policy, cal, z('16:00'));
    s = reconcile(s, conv({ firstResponseAt: z('10:01', '02'), waitingSince: null }), policy, cal, z('10:01', '02'));
    expect(s.firstResponseStatus).toBe('breached');
    const other = reconcile(null, conv(), policy, cal, z('16:00'));
    const resolved = reconcile(other, conv({ status: 'resolved', resolvedAt: z('17:00', '02') }), policy, cal, z('17:00', '02'));
    expect(resolved).toMatchObject({ firstResponseStatus: 'none', resolutionStatus: 'breached' }); // 17:00 > 16:00
  });

  it('resolving while the customer waits makes next response none, not met (the wait ended without a reply)', () => {
    const replied = { firstResponseAt: z('09:45', '02'), waitingSince: null, lastAgentReplyAt: z('09:45', '02') };
    let s = reconcile(null, conv(), policy, cal, z('16:00'));
    s = reconcile(s, conv(replied), policy, cal, z('09:45', '02'));
    // The customer writes Tue 12:00 (next response due 13:00); resolving at 12:30 clears waitingSince, no reply.
    s = reconcile(s, conv({ ...replied, waitingSince: z('12:00', '02') }), policy, cal, z('12:00', '02'));
    const resolved = conv({ ...replied, status: 'resolved', resolvedAt: z('12:30', '02') });
    const early = reconcile(s, resolved, policy, cal, z('12:30', '02'));
    expect(early).toMatchObject({ firstResponseStatus: 'met', nextResponseStatus: 'none', resolutionStatus: 'met' });
    // Resolved at 13:30, after the 13:00 due, still without a reply: the wait was overdue, so breached.
    const late = reconcile(s, { ...resolved, resolvedAt: z('13:30', '02') }, policy, cal, z('13:30', '02'));
    expect(late.nextResponseStatus).toBe('breached');
  });

  it('a calendar that is never open gives no due time instead of throwing', () => {
    const never: BusinessCalendar = { timeZone: 'UTC', weekly: {} };
    const s = reconcile(null, conv(), policy, never, z('16:00'));
    expect(s).toMatchObject({ firstResponseStatus: 'pending', firstResponseDueAt: null, resolutionDueAt: null });
  });

  it('a policy change restarts unmet targets from the start, keeping the paused time', () => {
    const s0: SlaState = { ...reconcile(null, conv(), policy, cal, z('16:00')), pausedBusinessSeconds: 1800 };
    const urgent: PolicyTargets = {
      id: 'p2',
      firstResponseSeconds: 1800,
      nextResponseSeconds: null,
      resolutionSeconds: null,
      warningLeadSeconds: 300,
    };
    const s = reconcile(s0, conv(), urgent, cal, z('16:10'));
    // Mon 16:00 + 30 min target + 30 min already paused = 17:00.
    expect(s).toMatchObject({ policyId: 'p2', firstResponseDueAt: z('17:00'), resolutionStatus: 'none', resolutionDueAt: null });
  });

  it('warns 20% of the target before due by default, in business time', () => {
    // Created Mon 16:00, due Tue 10:00 (2h). Lead 24 min: warn after 96 min of business time = Tue 09:36.
    expect(warningAt(cal, z('16:00'), z('10:00', '02'), 7200, null)).toEqual(z('09:36', '02'));
    // A 1h lead: warn after 1h of business time = Mon 17:00 (closing time, not Tuesday's opening).
    expect(warningAt(cal, z('16:00'), z('10:00', '02'), 7200, 3600)).toEqual(z('17:00'));
    expect(warningAt(cal, z('16:00'), z('10:00', '02'), 7200, 0)).toBeNull();
  });

  it('matches the first active policy whose every condition holds', () => {
    const facts = { priority: 'high', channelKind: 'email', teamId: 't1', customerSegment: 'enterprise', vip: false };
    const policies = [
      { id: 'off', active: false, conditions: {} },
      { id: 'vip', active: true, conditions: { vip: true } },
      {
        id: 'ent-email',
        active: true,
        conditions: { customerSegments: ['enterprise'], channelKinds: ['email', 'web'], priorities: ['high' as const] },
      },
      { id: 'all', active: true, conditions: {} },
    ];
    expect(matchPolicy(policies, facts)?.id).toBe('ent-email');
    expect(matchPolicy(policies, { ...facts, vip: true })?.id).toBe('vip');
    expect(matchPolicy(policies, { ...facts, priority: 'low' })?.id).toBe('all');
    expect(matchPolicy(policies, { ...facts, teamId: null, priority: 'low' })?.id).toBe('all');
    expect(matchPolicy([{ id: 'team', active: true, conditions: { teamIds: ['t2'] } }], facts)).toBeNull();
  });

  it('the worked example of docs/sla.md (Berlin, over the weekend DST starts)', () => {
    const berlin: BusinessCalendar = { ...cal, timeZone: 'Europe/Berlin' };
    const standard: PolicyTargets = {
      id: 'std',
      firstResponseSeconds: 7200,
      nextResponseSeconds: null,
      resolutionSeconds: 8 * 3600,
      warningLeadSeconds: null,
    };
    const at = (iso: string) => new Date(iso);
    // Fri 2026-03-27 16:00 CET = 15:00Z.
    const c = {
      createdAt: at('2026-03-27T15:00:00Z'),
      status: 'open',
      firstResponseAt: null,
      waitingSince: at('2026-03-27T15:00:00Z'),
      lastAgentReplyAt: null,
      resolvedAt: null,
    };
    let s = reconcile(null, c, standard, berlin, c.createdAt);
    expect(s.firstResponseDueAt).toEqual(at('2026-03-30T08:00:00Z')); // Mon 10:00 CEST
    expect(s.resolutionDueAt).toEqual(at('2026-03-30T14:00:00Z')); // Mon 16:00 CEST
    expect(warningAt(berlin, c.createdAt, s.firstResponseDueAt!, 7200, null)).toEqual(at('2026-03-30T07:36:00Z'));
    // The agent replies and sets pending at Fri 16:30 CET (15:30Z); the customer reopens Mon 09:30 CEST (07:30Z).
    const replied = { ...c, firstResponseAt: at('2026-03-27T15:30:00Z'), waitingSince: null, lastAgentReplyAt: at('2026-03-27T15:30:00Z') };
    s = reconcile(s, { ...replied, status: 'pending' }, standard, berlin, at('2026-03-27T15:30:00Z'));
    s = reconcile(s, replied, standard, berlin, at('2026-03-30T07:30:00Z'));
    expect(s).toMatchObject({ firstResponseStatus: 'met', pausedBusinessSeconds: 3600, resolutionDueAt: at('2026-03-30T15:00:00Z') });
  });
});
