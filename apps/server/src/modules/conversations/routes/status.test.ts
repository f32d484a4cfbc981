import { describe, expect, it } from 'vitest';
import { createAccount, createUser } from '../../../../test/factories';
import { useTestApp } from '../../../../test/harness';
import { countsOf, eventsOf, postMessage, startConversation } from '../test-support';

const t = useTestApp();

const setStatus = (headers: Record<string, string>, id: string, payload: Record<string, unknown>) =>
  t().app.inject({ method: 'POST', url: `/api/v1/conversations/${id}/status`, headers, payload });
const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();

describe('POST /conversations/:id/status', () => {
  it('resolve stamps resolvedAt, open reopens (reopenedAt, reopenCount), pending and snoozed work', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const resolved = await setStatus(agent.headers, conversation.id, { status: 'resolved' });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json().data).toMatchObject({ status: 'resolved', waitingSince: null });
    expect(resolved.json().data.resolvedAt).toEqual(expect.any(String));
    const reopened = (await setStatus(agent.headers, conversation.id, { status: 'open' })).json().data;
    expect(reopened).toMatchObject({ status: 'open', reopenCount: 1 });
    expect(reopened.reopenedAt).toEqual(expect.any(String));
    expect((await setStatus(agent.headers, conversation.id, { status: 'pending' })).json().data.status).toBe('pending');
    const until = inAnHour();
    const snoozed = (await setStatus(agent.headers, conversation.id, { status: 'snoozed', snoozedUntil: until })).json().data;
    expect(snoozed).toMatchObject({ status: 'snoozed', snoozedUntil: until });
    const evs = await eventsOf(t(), acc.accountId, conversation.id);
    expect(evs.filter((e) => e.type === 'conversation.status_changed').map((e) => [e.payload.from, e.payload.to])).toEqual([
      ['open', 'resolved'],
      ['resolved', 'open'],
      ['open', 'pending'],
      ['pending', 'snoozed'],
    ]);
    expect(evs.filter((e) => e.type === 'conversation.snoozed').map((e) => e.payload.until)).toEqual([until]);
  });

  it('the same status again changes nothing and emits nothing', async () => {
    const acc = await createAccount(t());
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const before = await countsOf(t(), acc.accountId);
    const res = await setStatus(acc.owner.headers, conversation.id, { status: 'open' });
    expect(res.statusCode).toBe(200);
    expect(await countsOf(t(), acc.accountId)).toEqual(before);
  });

  it('a customer message wakes a snoozed conversation without counting a reopen', async () => {
    const acc = await createAccount(t());
    const { conversation } = await startConversation(t(), acc.owner.headers);
    await setStatus(acc.owner.headers, conversation.id, { status: 'snoozed', snoozedUntil: inAnHour() });
    await postMessage(t(), acc.owner.headers, conversation.id, { body: 'hello?', kind: 'incoming' });
    const res = await t().app.inject({ url: `/api/v1/conversations/${conversation.id}`, headers: acc.owner.headers });
    expect(res.json().data).toMatchObject({ status: 'open', snoozedUntil: null, reopenCount: 0 });
  });

  it('422 for snoozing without, before now, or more than a year ahead, or snoozedUntil with another status; nothing changed', async () => {
    const acc = await createAccount(t());
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const before = await countsOf(t(), acc.accountId);
    const bad = [
      { status: 'snoozed' },
      { status: 'snoozed', snoozedUntil: new Date(Date.now() - 60_000).toISOString() },
      { status: 'snoozed', snoozedUntil: new Date(Date.now() + 400 * 86_400_000).toISOString() },
      { status: 'snoozed', snoozedUntil: 'tomorrow' },
      { status: 'resolved', snoozedUntil: inAnHour() },
      { status: 'closed' },
    ];
    for (const payload of bad) {
      const res = await setStatus(acc.owner.headers, conversation.id, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.json().code).toBe('validation_failed');
    }
    expect(await countsOf(t(), acc.accountId)).toEqual(before);
    const res = await t().app.inject({ url: `/api/v1/conversations/${conversation.id}`, headers: acc.owner.headers });
    expect(res.json().data).toMatchObject({ status: 'open', snoozedUntil: null });
  });

  it('401 without credentials, 404 for another tenant, 403 for an analyst', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const before = await countsOf(t(), acc.accountId);
    expect((await setStatus({}, conversation.id, { status: 'resolved' })).statusCode).toBe(401);
    expect((await setStatus(other.owner.headers, conversation.id, { status: 'resolved' })).statusCode).toBe(404);
    expect((await setStatus(analyst.headers, conversation.id, { status: 'resolved' })).statusCode).toBe(403);
    expect(await countsOf(t(), acc.accountId)).toEqual(before);
  });
});
