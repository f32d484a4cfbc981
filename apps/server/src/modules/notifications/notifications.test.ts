import { and, eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { createAccount, createApiKeyHeaders, createUser, type TestUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { startConversation } from '../../../test/rows';
import { openFrameSocket } from '../../../test/ws-frames';
import { events } from '../../db/schema';
import { withTenant } from '../../db/tenant';
import { systemCtx } from '../../platform/context';
import type { StoredEvent } from '../../platform/events';
import { recordNotification } from './listeners';

const t = useTestApp();
type Headers = Record<string, string>;
let base = '';
const sockets: WebSocket[] = [];
beforeAll(async () => {
  base = (await t().app.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws');
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

const bell = async (headers: Headers, query = '') => {
  const res = await t().app.inject({ url: `/api/v1/notifications${query}`, headers });
  return { status: res.statusCode, body: res.json() };
};
const postMessage = (_t: unknown, headers: Headers, id: string, payload: object) =>
  t().app.inject({ method: 'POST', url: `/api/v1/conversations/${id}/messages`, headers, payload });
const markRead = (headers: Headers, payload: object) =>
  t().app.inject({ method: 'POST', url: '/api/v1/notifications/read', headers, payload });
const assign = (headers: Headers, id: string, assigneeId: string | null) =>
  t().app.inject({ method: 'POST', url: `/api/v1/conversations/${id}/assignment`, headers, payload: { assigneeId } });

type Frame = { type: string; topic?: string; event?: { type: string; payload: Record<string, unknown> } };
async function follow(user: TestUser) {
  const s = await openFrameSocket<Frame>(`${base}/api/v1/realtime`, { headers: { cookie: user.headers.cookie } });
  sockets.push(s.socket);
  s.socket.send(JSON.stringify({ type: 'subscribe', topic: `user:${user.userId}` }));
  await s.next((f) => f.type === 'subscribed', 'subscribed');
  return s;
}

describe('notifications', () => {
  it('a mention and an assignment by someone else reach the bell, live and in the list, newest first', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const live = await follow(agent);
    const c1 = await startConversation(t(), acc.owner.headers, { subject: 'Refund' });
    const c2 = await startConversation(t(), acc.owner.headers);
    const note = (
      await postMessage(t(), acc.owner.headers, c1.conversation.id, { kind: 'note', body: 'Please take over', mentions: [agent.userId] })
    ).json().data;
    await assign(acc.owner.headers, c2.conversation.id, agent.userId);
    // Not notified: assigning yourself, unassigning, an assignment to someone else.
    await assign(agent.headers, c1.conversation.id, agent.userId);
    await assign(acc.owner.headers, c2.conversation.id, null);
    await assign(acc.owner.headers, c2.conversation.id, acc.owner.userId);
    await t().settle();

    const created = [
      await live.next((f) => f.event?.type === 'notification.created', 'notification.created'),
      await live.next((f) => f.event?.type === 'notification.created', 'notification.created'),
    ];
    expect(created.map((f) => f.topic)).toEqual([`user:${agent.userId}`, `user:${agent.userId}`]);
    const { status, body } = await bell(agent.headers);
    expect(status).toBe(200);
    expect(body.unreadCount).toBe(2);
    expect(body.data).toEqual([
      {
        id: expect.any(String),
        kind: 'assignment',
        conversationId: c2.conversation.id,
        conversation: { id: c2.conversation.id, number: c2.conversation.number, subject: null },
        messageId: null,
        actor: { kind: 'user', id: acc.owner.userId },
        preview: null,
        createdAt: expect.any(String),
        readAt: null,
      },
      {
        id: expect.any(String),
        kind: 'mention',
        conversationId: c1.conversation.id,
        conversation: { id: c1.conversation.id, number: c1.conversation.number, subject: 'Refund' },
        messageId: note.id,
        actor: { kind: 'user', id: acc.owner.userId },
        preview: 'Please take over',
        createdAt: expect.any(String),
        readAt: null,
      },
    ]);
    const pushed = created
      .map((f) => f.event!.payload)
      .sort((a, b) => ((a.notification as { id: string }).id < (b.notification as { id: string }).id ? 1 : -1));
    expect(pushed).toEqual(body.data.map((notification: unknown) => ({ userId: agent.userId, notification })));
    expect((await bell(acc.owner.headers)).body).toMatchObject({ data: [], unreadCount: 0 });

    // Paged, and filtered to the unread ones.
    const first = await bell(agent.headers, '?limit=1');
    expect(first.body.data.map((n: { kind: string }) => n.kind)).toEqual(['assignment']);
    expect((await bell(agent.headers, `?limit=1&cursor=${first.body.page.nextCursor}`)).body.data[0].kind).toBe('mention');

    // Read: some, then all; someone else's ids are skipped; the other tabs hear of it.
    const [assignment, mention] = body.data as { id: string }[];
    expect((await markRead(acc.owner.headers, { ids: [mention!.id] })).json().data).toEqual({ updated: 0, unreadCount: 0 });
    expect((await markRead(agent.headers, { ids: [mention!.id] })).json().data).toEqual({ updated: 1, unreadCount: 1 });
    const read = await live.next((f) => f.event?.type === 'notification.read', 'notification.read');
    expect(read.event!.payload).toEqual({ userId: agent.userId, ids: [mention!.id], unreadCount: 1 });
    expect((await bell(agent.headers, '?unread=true')).body.data.map((n: { id: string }) => n.id)).toEqual([assignment!.id]);
    expect((await markRead(agent.headers, { all: true })).json().data).toEqual({ updated: 1, unreadCount: 0 });
    expect((await markRead(agent.headers, { all: true })).json().data).toEqual({ updated: 0, unreadCount: 0 });
    const after = (await bell(agent.headers)).body;
    expect(after.unreadCount).toBe(0);
    expect(after.data.every((n: { readAt: string | null }) => n.readAt !== null)).toBe(true);
  });

  it('is written once per event, however often the listener runs', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const { conversation } = await startConversation(t(), acc.owner.headers);
    await postMessage(t(), acc.owner.headers, conversation.id, { kind: 'note', body: `@${agent.name} hi` });
    await t().settle();
    await t().settle();
    const [mentioned] = (await withTenant(t().database.db, acc.accountId, (tx) =>
      tx
        .select()
        .from(events)
        .where(and(eq(events.accountId, acc.accountId), eq(events.type, 'conversation.mentioned'))),
    )) as unknown as StoredEvent<'conversation.mentioned'>[];
    const ctx = systemCtx({ db: t().database.db, events: t().events }, acc.accountId, 'test-rerun');
    await recordNotification(ctx, mentioned!);
    await recordNotification(ctx, mentioned!);
    expect((await bell(agent.headers)).body.data).toHaveLength(1);
    const created = await withTenant(t().database.db, acc.accountId, (tx) =>
      tx
        .select()
        .from(events)
        .where(and(eq(events.accountId, acc.accountId), eq(events.type, 'notification.created'))),
    );
    expect(created).toHaveLength(1);
  });

  it('people only: 403 for API keys, 401 anonymous, 422 for bad input', async () => {
    const acc = await createAccount(t());
    const key = await createApiKeyHeaders(t(), acc.accountId, 'admin');
    expect((await bell(key)).status).toBe(403);
    expect((await markRead(key, { all: true })).statusCode).toBe(403);
    expect((await bell({})).status).toBe(401);
    expect((await markRead({}, { all: true })).statusCode).toBe(401);
    for (const payload of [{}, { all: false }, { ids: [] }, { ids: ['x'] }, { ids: [acc.owner.userId], all: true }]) {
      expect((await markRead(acc.owner.headers, payload)).statusCode, JSON.stringify(payload)).toBe(422);
    }
    for (const q of ['?unread=yes', '?limit=0', '?cursor=zzz']) expect((await bell(acc.owner.headers, q)).status, q).toBe(422);
  });
});
