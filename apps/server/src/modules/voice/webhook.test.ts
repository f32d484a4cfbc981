import { randomUUID } from 'node:crypto';
import { and, eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createAccount, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { events } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import { signedHeaders } from '../channels';
import { callEvent, callRow, createVoiceChannel, postAll, postEvent, voiceRowCounts } from './test-support';

const t = useTestApp();
const at = (hms: string) => `2026-03-02T${hms}.000Z`;

async function setup() {
  const acc = await createAccount(t());
  const channel = await createVoiceChannel(t(), acc.owner);
  return { acc, channel };
}

describe('POST /api/v1/channels/:channelId/voice/events', () => {
  it('records a full answered call: every timestamp, the hold span, the transfer and the handling agent', async () => {
    const { acc, channel } = await setup();
    const first = await createUser(t(), acc.accountId, 'agent');
    const second = await createUser(t(), acc.accountId, 'agent');
    const party = { direction: 'inbound', from: '+1 (415) 555-0100', to: '+14155550199' };
    await postAll(t(), channel, [
      callEvent('call.queued', 'CA1', '2026-03-02T11:00:00+01:00', { ...party, queue: 'support' }),
      callEvent('call.ringing', 'CA1', at('10:00:20'), { agent: { email: first.email.toUpperCase() } }),
      callEvent('call.answered', 'CA1', at('10:00:25'), { agent: { email: first.email, externalId: 'ag-1' } }),
      callEvent('call.hold', 'CA1', at('10:01:00')),
      callEvent('call.resumed', 'CA1', at('10:01:30')),
      callEvent('call.transferred', 'CA1', at('10:02:00'), { transferTo: { agent: { email: second.email }, queue: 'billing' } }),
      callEvent('call.ended', 'CA1', at('10:05:00'), { durationSeconds: 275, recordingUrl: 'https://rec.example.test/CA1.mp3' }),
      callEvent('wrapup.ended', 'CA1', at('10:06:00')),
    ]);
    const call = (await callRow(t(), acc.accountId, 'CA1'))!;
    expect(call).toMatchObject({
      channelId: channel.id,
      direction: 'inbound',
      status: 'ended',
      fromNumber: '+14155550100',
      toNumber: '+14155550199',
      agentUserId: second.userId,
      agentEmail: second.email,
      queue: 'billing',
      durationSeconds: 275,
      recordingUrl: 'https://rec.example.test/CA1.mp3',
      abandonedAt: null,
    });
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    expect([call.startedAt, call.queuedAt, call.ringingAt, call.answeredAt, call.endedAt, call.wrapupEndedAt].map(iso)).toEqual(
      ['10:00:00', '10:00:00', '10:00:20', '10:00:25', '10:05:00', '10:06:00'].map(at),
    );
    expect(call.holds).toEqual([{ startedAt: at('10:01:00'), endedAt: at('10:01:30') }]);
    expect(call.transfers).toEqual([
      { at: at('10:02:00'), agent: { email: second.email, externalId: null, userId: second.userId }, queue: 'billing' },
    ]);
    expect(await voiceRowCounts(t(), acc.accountId)).toEqual({ calls: 1, events: 8 });

    const emitted = await withSystem(t().database.db, (tx) =>
      tx
        .select({ type: events.type })
        .from(events)
        .where(and(eq(events.accountId, acc.accountId), like(events.type, 'call.%'))),
    );
    const types = emitted.map((e) => e.type);
    for (const type of ['call.started', 'call.answered', 'call.ended']) expect(types.filter((x) => x === type)).toHaveLength(1);
  });

  it('records an abandoned call', async () => {
    const { acc, channel } = await setup();
    await postAll(t(), channel, [
      callEvent('call.queued', 'CA2', at('10:00:00'), { from: '+14155550101', queue: 'support' }),
      callEvent('call.abandoned', 'CA2', at('10:00:45')),
    ]);
    const call = (await callRow(t(), acc.accountId, 'CA2'))!;
    expect(call).toMatchObject({ status: 'abandoned', answeredAt: null, endedAt: null, holds: [] });
    expect(call.queuedAt?.toISOString()).toBe(at('10:00:00'));
    expect(call.abandonedAt?.toISOString()).toBe(at('10:00:45'));
  });

  it('accepts events out of order: a late earlier event fills its column, a later repeat never moves one', async () => {
    const { acc, channel } = await setup();
    await postAll(t(), channel, [
      callEvent('call.answered', 'CA3', at('10:00:30'), { from: '+14155550102' }),
      callEvent('call.resumed', 'CA3', at('10:02:00')),
      callEvent('call.queued', 'CA3', at('10:00:00')),
      callEvent('call.hold', 'CA3', at('10:01:00')),
      callEvent('call.answered', 'CA3', at('10:00:40')),
    ]);
    const call = (await callRow(t(), acc.accountId, 'CA3'))!;
    expect(call.status).toBe('answered');
    expect(call.startedAt.toISOString()).toBe(at('10:00:00'));
    expect(call.queuedAt?.toISOString()).toBe(at('10:00:00'));
    expect(call.answeredAt?.toISOString()).toBe(at('10:00:30'));
    expect(call.holds).toEqual([{ startedAt: at('10:01:00'), endedAt: at('10:02:00') }]);
  });

  it('makes a repeated delivery a no-op, sequential or concurrent', async () => {
    const { acc, channel } = await setup();
    const queued = callEvent('call.queued', 'CA4', at('10:00:00'), { from: '+14155550103' });
    await postAll(t(), channel, [queued]);
    const again = await postEvent(t(), channel, queued);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ data: { duplicate: true } });

    // Two identical deliveries of a new call's first event at once, and another event of that call with them.
    const ringing = callEvent('call.ringing', 'CA5', at('10:00:05'), { from: '+14155550104' });
    const answered = callEvent('call.answered', 'CA5', at('10:00:09'));
    const answers = await Promise.all([
      postEvent(t(), channel, ringing),
      postEvent(t(), channel, ringing),
      postEvent(t(), channel, answered),
    ]);
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(
      answers
        .slice(0, 2)
        .map((r) => r.json().data.duplicate as boolean)
        .sort(),
    ).toEqual([false, true]);
    expect(await voiceRowCounts(t(), acc.accountId)).toEqual({ calls: 2, events: 3 });
    const call = (await callRow(t(), acc.accountId, 'CA5'))!;
    expect(call.ringingAt?.toISOString()).toBe(at('10:00:05'));
    expect(call.answeredAt?.toISOString()).toBe(at('10:00:09'));
  });

  it('refuses unsigned, wrongly signed, stale, malformed and misdirected requests, storing nothing', async () => {
    const { acc, channel } = await setup();
    const body = callEvent('call.queued', 'CA6', at('10:00:00'), { from: '+14155550105' });
    const raw = JSON.stringify(body);
    const expectProblem = async (res: Awaited<ReturnType<typeof postEvent>>, status: number) => {
      expect(res.statusCode, res.body).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      return res.json();
    };
    await expectProblem(await postEvent(t(), channel, body, { 'content-type': 'application/json' }), 401);
    await expectProblem(await postEvent(t(), channel, body, signedHeaders('0'.repeat(64), raw)), 401);
    await expectProblem(await postEvent(t(), channel, body, signedHeaders(channel.webhookSecret, raw, Date.now() - 600_000)), 401);

    const malformed = { ...body, type: 'call.exploded', callId: '', timestamp: 'yesterday', recordingUrl: 'javascript:alert(1)' };
    const problem = await expectProblem(await postEvent(t(), channel, malformed), 422);
    const paths = (problem.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.type', 'body.callId', 'body.timestamp', 'body.recordingUrl']));

    await expectProblem(await postEvent(t(), { ...channel, id: randomUUID() }, body), 404);
    const sms = await createVoiceChannel(t(), acc.owner, 'sms');
    await expectProblem(await postEvent(t(), sms, body), 404);
    expect(await voiceRowCounts(t(), acc.accountId)).toEqual({ calls: 0, events: 0 });
  });
});
