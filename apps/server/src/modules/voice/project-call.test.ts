import type { CallEventBody, CallEventType } from '@touchpoint/shared';
import { describe, expect, it } from 'vitest';
import { projectCall, type StoredCallEvent } from './project-call';

const t = (s: number) => new Date(Date.UTC(2026, 2, 2, 10, 0, s));
const ev = (type: CallEventType, s: number, extra: Partial<CallEventBody> = {}): StoredCallEvent => ({
  type,
  occurredAt: t(s),
  payload: { id: `e${type}${s}`, type, callId: 'c', timestamp: t(s).toISOString(), ...extra },
});

describe('projectCall', () => {
  it('pairs holds in time order whatever the arrival order, and closes a hold left open at the end of the call', () => {
    const p = projectCall([ev('call.resumed', 20), ev('call.answered', 5), ev('call.hold', 10), ev('call.hold', 30), ev('call.ended', 40)]);
    expect(p.holds).toEqual([
      { startedAt: t(10), endedAt: t(20) },
      { startedAt: t(30), endedAt: t(40) },
    ]);
    expect(p.status).toBe('ended');
  });

  it('ignores a repeated hold and a resume without a hold; keeps the first time of each kind', () => {
    const p = projectCall([ev('call.queued', 0), ev('call.resumed', 3), ev('call.hold', 5), ev('call.hold', 6), ev('call.queued', 9)]);
    expect(p.holds).toEqual([{ startedAt: t(5), endedAt: null }]);
    expect(p.queuedAt).toEqual(t(0));
    expect(p.status).toBe('on_hold');
  });

  it('names the status from the timestamps: missed when it ended unanswered, abandoned over everything', () => {
    expect(projectCall([ev('call.ringing', 1), ev('call.ended', 9, { voicemailUrl: 'https://v.example/1' })])).toMatchObject({
      status: 'missed',
      voicemailUrl: 'https://v.example/1',
    });
    expect(projectCall([ev('call.queued', 1), ev('call.abandoned', 9)]).status).toBe('abandoned');
    expect(projectCall([ev('call.ringing', 1, { direction: 'outbound' })])).toMatchObject({ status: 'ringing', direction: 'outbound' });
  });
});
