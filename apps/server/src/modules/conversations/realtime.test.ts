import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { emit } from '../../platform/events';
import { command } from '../../platform/tx';
import { createAccount, createTeam, createUser, type TestUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { openFrameSocket } from '../../../test/ws-frames';
import { postMessage, startConversation } from './test-support';

const t = useTestApp();
let base = '';
const sockets: WebSocket[] = [];

beforeAll(async () => {
  const address = await t().app.listen({ port: 0, host: '127.0.0.1' });
  base = address.replace(/^http/, 'ws');
});

afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

/** The payload fields these tests look at (the rest is checked with matchers). */
type Payload = { message: { id: string }; conversation: unknown; teamId?: string | null; previous?: unknown };
type Frame = {
  type: string;
  topic?: string;
  code?: string;
  event?: { type: string; conversationId: string; payload: Payload };
};

/** A real WebSocket client that queues what it receives, so tests can wait for a frame matching a predicate. */
async function connect(user: TestUser) {
  const { socket, next, frames } = await openFrameSocket<Frame>(`${base}/api/v1/realtime`, { headers: { cookie: user.headers.cookie } });
  sockets.push(socket);
  const subscribe = async (topic: string) => {
    socket.send(JSON.stringify({ type: 'subscribe', topic }));
    return next((f) => (f.type === 'subscribed' || f.type === 'error') && f.topic === topic, `answer to subscribing ${topic}`);
  };
  /** Every event frame received so far and not yet consumed. */
  const pendingEvents = () => frames.filter((f) => f.type === 'event');
  return { subscribe, next, pendingEvents };
}

describe('realtime: conversation topics', () => {
  it('pushes message.created with the message to subscribers of the conversation', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const client = await connect(agent);
    expect((await client.subscribe(`conversation:${conversation.id}`)).type).toBe('subscribed');
    const res = await postMessage(t(), acc.owner.headers, conversation.id, { body: 'Live reply', kind: 'outgoing' });
    expect(res.statusCode).toBe(201);
    const frame = await client.next((f) => f.event?.type === 'message.created', 'message.created');
    expect(frame.topic).toBe(`conversation:${conversation.id}`);
    expect(frame.event!.payload.message).toEqual(res.json().data);
    expect(frame.event!.payload.conversation).toMatchObject({ id: conversation.id, messageCount: 2 });
  });

  it('a user of another account gets forbidden, and so does an unknown or malformed id', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const outsider = await connect(other.owner);
    expect(await outsider.subscribe(`conversation:${conversation.id}`)).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(await outsider.subscribe('conversation:not-a-uuid')).toMatchObject({ type: 'error', code: 'forbidden' });
    // Analysts read conversations, so they may follow them.
    const analyst = await connect(await createUser(t(), acc.accountId, 'analyst'));
    expect((await analyst.subscribe(`conversation:${conversation.id}`)).type).toBe('subscribed');
  });

  it('pushes nothing for a transaction that rolled back', async () => {
    const acc = await createAccount(t());
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const client = await connect(acc.owner);
    await client.subscribe(`conversation:${conversation.id}`);
    // A command that emitted and then failed.
    const failed = command(acc.owner.ctx, async (tx) => {
      await emit(tx, acc.owner.ctx, {
        type: 'conversation.tags_changed',
        conversationId: conversation.id,
        payload: { conversation: conversation as never, added: ['rolled-back'], removed: [] },
      });
      throw new Error('boom after emit');
    });
    await expect(failed).rejects.toThrow('boom after emit');
    // Requests that failed inside the command (403) or before it (422).
    expect((await postMessage(t(), analyst.headers, conversation.id, { body: 'nope', kind: 'outgoing' })).statusCode).toBe(403);
    expect((await postMessage(t(), acc.owner.headers, conversation.id, { body: '', kind: 'outgoing' })).statusCode).toBe(422);
    const ok = await postMessage(t(), acc.owner.headers, conversation.id, { body: 'committed', kind: 'outgoing' });
    const frame = await client.next((f) => f.type === 'event', 'the next event');
    expect(frame.event!.payload.message.id).toBe(ok.json().data.id);
    expect(client.pendingEvents()).toEqual([]);
  });
});

describe('realtime: team topics', () => {
  it('members and supervisors follow a team; others are refused; team conversations are pushed there', async () => {
    const acc = await createAccount(t());
    const teamId = await createTeam(t(), acc.accountId);
    const member = await createUser(t(), acc.accountId, 'agent', { teamIds: [teamId] });
    const outsider = await createUser(t(), acc.accountId, 'agent');
    const supervisor = await createUser(t(), acc.accountId, 'supervisor');
    const memberClient = await connect(member);
    expect((await memberClient.subscribe(`team:${teamId}`)).type).toBe('subscribed');
    expect(await (await connect(outsider)).subscribe(`team:${teamId}`)).toMatchObject({ type: 'error', code: 'forbidden' });
    const supervisorClient = await connect(supervisor);
    expect((await supervisorClient.subscribe(`team:${teamId}`)).type).toBe('subscribed');
    const other = await createAccount(t());
    expect(await (await connect(other.owner)).subscribe(`team:${teamId}`)).toMatchObject({ type: 'error', code: 'forbidden' });

    const { conversation } = await startConversation(t(), acc.owner.headers);
    await t().app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversation.id}/assignment`,
      headers: acc.owner.headers,
      payload: { teamId },
    });
    const frame = await memberClient.next((f) => f.event?.type === 'conversation.assigned', 'conversation.assigned');
    expect(frame.topic).toBe(`team:${teamId}`);
    expect(frame.event!.payload).toMatchObject({ teamId, previous: { teamId: null } });
    // Moving it away from the team still tells the old team, so its inbox can drop it.
    await t().app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversation.id}/assignment`,
      headers: acc.owner.headers,
      payload: { teamId: null },
    });
    expect(
      (await supervisorClient.next((f) => f.event?.type === 'conversation.assigned' && f.event.payload.teamId === null, 'unassign')).topic,
    ).toBe(`team:${teamId}`);
  });
});
