import { describe, expect, it } from 'vitest';
import { createAccount, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { callEvent, callRow, createVoiceChannel, postAll } from './test-support';

const t = useTestApp();
const at = (hms: string) => `2026-03-02T${hms}.000Z`;

async function setup() {
  const acc = await createAccount(t());
  const agent = await createUser(t(), acc.accountId, 'agent');
  const channel = await createVoiceChannel(t(), acc.owner);
  return { acc, agent, channel };
}

describe('calls in the customer history', () => {
  it('finds the customer by phone, starts a voice conversation and shows the call in the timeline', async () => {
    const { acc, agent, channel } = await setup();
    const created = await t().app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: agent.headers,
      payload: { name: 'Carla Caller', phone: '+14155550111' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const customerId = created.json().data.id as string;

    await postAll(t(), channel, [
      callEvent('call.queued', 'CB1', at('09:00:00'), { direction: 'inbound', from: '(415) 555-0111', to: '+14155550199' }),
      callEvent('call.answered', 'CB1', at('09:00:12'), { agent: { email: agent.email } }),
      callEvent('call.ended', 'CB1', at('09:03:00'), { durationSeconds: 168 }),
    ]);
    await t().settle();
    const call = (await callRow(t(), acc.accountId, 'CB1'))!;
    expect(call.customerId).toBe(customerId);
    expect(call.conversationId).not.toBeNull();

    const conv = await t().app.inject({ url: `/api/v1/conversations/${call.conversationId}`, headers: agent.headers });
    expect(conv.json().data).toMatchObject({ channelId: channel.id, status: 'open', subject: 'Call from +14155550111' });

    const calls = await t().app.inject({ url: `/api/v1/conversations/${call.conversationId}/calls`, headers: agent.headers });
    expect(calls.statusCode, calls.body).toBe(200);
    expect(calls.json().data).toEqual([
      expect.objectContaining({
        id: call.id,
        providerCallId: 'CB1',
        status: 'ended',
        from: '+14155550111',
        agentUserId: agent.userId,
        queuedAt: at('09:00:00'),
        answeredAt: at('09:00:12'),
        endedAt: at('09:03:00'),
        holds: [],
      }),
    ]);

    const timeline = await t().app.inject({ url: `/api/v1/customers/${customerId}/timeline`, headers: agent.headers });
    expect(timeline.statusCode, timeline.body).toBe(200);
    const items = timeline.json().data as { kind: string; id: string; type?: string }[];
    expect(items.find((i) => i.kind === 'call')).toMatchObject({ id: call.id, status: 'ended', answeredAt: at('09:00:12') });
    // The call is an item of its own, so its lifecycle events do not repeat it.
    expect(items.filter((i) => i.kind === 'event' && i.type?.startsWith('call.'))).toEqual([]);
  });

  it('attaches a second call from the same number to the open conversation, and creates a caller once', async () => {
    const { acc, agent, channel } = await setup();
    await postAll(t(), channel, [callEvent('call.queued', 'CB2', at('09:00:00'), { from: '+14155550122' })]);
    await t().settle();
    await postAll(t(), channel, [
      callEvent('call.queued', 'CB3', at('11:00:00'), { from: '+1 415 555 0122' }),
      callEvent('call.abandoned', 'CB3', at('11:00:30')),
    ]);
    await t().settle();
    const [one, two] = [(await callRow(t(), acc.accountId, 'CB2'))!, (await callRow(t(), acc.accountId, 'CB3'))!];
    expect(one.customerId).not.toBeNull();
    expect(two.customerId).toBe(one.customerId);
    expect(two.conversationId).toBe(one.conversationId);
    const calls = await t().app.inject({ url: `/api/v1/conversations/${one.conversationId}/calls`, headers: agent.headers });
    expect((calls.json().data as { providerCallId: string }[]).map((c) => c.providerCallId)).toEqual(['CB2', 'CB3']);
  });

  it('waits for the number: a call whose first events carry none is attached when one arrives', async () => {
    const { acc, channel } = await setup();
    await postAll(t(), channel, [callEvent('call.answered', 'CB4', at('09:00:10'))]);
    await t().settle();
    expect((await callRow(t(), acc.accountId, 'CB4'))!.conversationId).toBeNull();
    await postAll(t(), channel, [callEvent('call.queued', 'CB4', at('09:00:00'), { direction: 'outbound', to: '+14155550133' })]);
    await t().settle();
    const call = (await callRow(t(), acc.accountId, 'CB4'))!;
    expect(call).toMatchObject({ direction: 'outbound', toNumber: '+14155550133' });
    expect(call.conversationId).not.toBeNull();
  });
});

describe('customer merge', () => {
  it('moves the calls of the merged-away customer to the survivor (and their timeline)', async () => {
    const { acc, agent, channel } = await setup();
    await postAll(t(), channel, [callEvent('call.queued', 'CB6', at('09:00:00'), { from: '+14155550155' })]);
    await t().settle();
    const source = (await callRow(t(), acc.accountId, 'CB6'))!.customerId!;
    const target = (
      await t().app.inject({ method: 'POST', url: '/api/v1/customers', headers: agent.headers, payload: { name: 'Kept' } })
    ).json().data.id as string;
    const merged = await t().app.inject({
      method: 'POST',
      url: `/api/v1/customers/${target}/merge`,
      headers: acc.owner.headers,
      payload: { sourceId: source },
    });
    expect(merged.statusCode, merged.body).toBe(200);
    await t().settle();
    expect((await callRow(t(), acc.accountId, 'CB6'))!.customerId).toBe(target);
    const timeline = await t().app.inject({ url: `/api/v1/customers/${target}/timeline`, headers: agent.headers });
    expect((timeline.json().data as { kind: string }[]).filter((i) => i.kind === 'call')).toHaveLength(1);
  });
});

describe('GET /api/v1/conversations/:id/calls', () => {
  it('is for agents and above of the same account: 401 anonymous, 403 analyst, 404 another tenant', async () => {
    const { acc, channel } = await setup();
    await postAll(t(), channel, [callEvent('call.queued', 'CB5', at('09:00:00'), { from: '+14155550144' })]);
    await t().settle();
    const { conversationId } = (await callRow(t(), acc.accountId, 'CB5'))!;
    const url = `/api/v1/conversations/${conversationId}/calls`;
    expect((await t().app.inject({ url })).statusCode).toBe(401);
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    expect((await t().app.inject({ url, headers: analyst.headers })).statusCode).toBe(403);
    const other = await createAccount(t());
    const stranger = await createUser(t(), other.accountId, 'admin');
    const res = await t().app.inject({ url, headers: stranger.headers });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('not_found');
  });
});
