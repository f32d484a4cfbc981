import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { messages, webchatReadMarkers, webchatVisitors } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import { InProcessPubSub, RealtimeHub } from '../../platform/realtime';
import { createAccount, createUser, type TestUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { openFrameSocket } from '../../../test/ws-frames';
import { visitorProfile, visitorTopics } from './sockets';
import { connectVisitor, createWebChannel, sendAsVisitor, startSession } from './test-support';

// One pub/sub shared with a second "node" below (a hub and visitor sockets of their own), as Redis would be.
const pubsub = new InProcessPubSub();
const t = useTestApp({ pubsub });
let wsBase = '';
const open: WebSocket[] = [];

beforeAll(async () => {
  wsBase = (await t().app.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws');
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

type AgentFrame = { type: string; topic?: string; event?: { id: string | null; type: string; payload: Record<string, unknown> } };

async function agentSocket(user: TestUser, conversationId: string) {
  const s = await openFrameSocket<AgentFrame>(`${wsBase}/api/v1/realtime`, { headers: { cookie: user.headers.cookie } });
  open.push(s.socket);
  s.socket.send(JSON.stringify({ type: 'subscribe', topic: `conversation:${conversationId}` }));
  await s.next((f) => f.type === 'subscribed', 'subscribed');
  return s;
}

/** A web channel, an agent named "Sam Rivers", and a visitor with a conversation started. */
async function chat() {
  const acc = await createAccount(t());
  const agent = await createUser(t(), acc.accountId, 'agent', { name: 'Sam Rivers' });
  const web = await createWebChannel(t(), acc.accountId);
  const v = await startSession(t(), web);
  const first = (await sendAsVisitor(t(), web, v, { body: 'Hello?', clientMessageId: 'h-1' })).json().data.message;
  return { acc, agent, web, v, conversationId: first.conversationId as string };
}

const post = (url: string, headers: Record<string, string>) => t().app.inject({ method: 'POST', url, headers });

describe('typing indicators', () => {
  it("tells the agents following the conversation that the customer types, and the visitor the agent's first name", async () => {
    const { agent, web, v, conversationId } = await chat();
    const agentWs = await agentSocket(agent, conversationId);
    const visitorWs = await connectVisitor(wsBase, web, v.token);
    open.push(visitorWs.socket);

    visitorWs.socket.send(JSON.stringify({ type: 'typing' }));
    const typing = await agentWs.next((f) => f.event?.type === 'conversation.typing', 'customer typing');
    expect(typing.event).toMatchObject({ id: null, payload: { who: 'customer', conversationId } });

    expect((await post(`/api/v1/conversations/${conversationId}/typing`, agent.headers)).statusCode).toBe(204);
    const frame = (await visitorWs.next((f) => f.type === 'typing', 'agent typing')) as unknown as { name: string };
    expect(frame.name).toBe('Sam');
    expect(JSON.stringify(frame)).not.toContain(agent.userId);
    // Ephemeral: nothing was stored.
    const rows = await withSystem(t().database.db, (tx) => tx.select().from(messages).where(eq(messages.conversationId, conversationId)));
    expect(rows).toHaveLength(1);
  });

  it('refuses agent typing without credentials (401), to an analyst (403) and on another tenant (404)', async () => {
    const { acc, conversationId } = await chat();
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const other = await createAccount(t());
    const url = `/api/v1/conversations/${conversationId}/typing`;
    expect((await post(url, {})).statusCode).toBe(401);
    expect((await post(url, analyst.headers)).statusCode).toBe(403);
    expect((await post(url, other.owner.headers)).statusCode).toBe(404);
  });
});

describe('read state', () => {
  it("marks the agent's replies read when the visitor reads, and the agent's thread gets the change", async () => {
    const { acc, agent, web, v, conversationId } = await chat();
    const url = `/api/v1/conversations/${conversationId}/messages`;
    const reply = (
      await t().app.inject({ method: 'POST', url, headers: acc.owner.headers, payload: { kind: 'outgoing', body: 'Hi there' } })
    ).json().data;
    const note = await t().app.inject({ method: 'POST', url, headers: acc.owner.headers, payload: { kind: 'note', body: 'VIP' } });
    const agentWs = await agentSocket(agent, conversationId);

    const read = await post(`/api/v1/widget/${web}/read`, v.headers);
    expect(read.statusCode).toBe(200);
    expect(read.json().data.read).toBe(1);
    const changed = await agentWs.next((f) => f.event?.type === 'message.delivery_status_changed', 'read receipt');
    expect(changed.event!.payload).toMatchObject({ message: { id: reply.id, deliveryStatus: 'read' }, to: 'read' });
    const [noteRow] = await withSystem(t().database.db, (tx) => tx.select().from(messages).where(eq(messages.id, note.json().data.id)));
    expect(noteRow!.deliveryStatus).toBeNull();
    // A second read finds nothing to move.
    expect((await post(`/api/v1/widget/${web}/read`, v.headers)).json().data.read).toBe(0);
    expect((await post(`/api/v1/widget/${web}/read`, {})).statusCode).toBe(401);
  });

  it('pushes "read" to the visitor when an agent opens the conversation, once per new customer message', async () => {
    const { acc, agent, web, v, conversationId } = await chat();
    const visitorWs = await connectVisitor(wsBase, web, v.token);
    open.push(visitorWs.socket);
    const marker = `/api/v1/conversations/${conversationId}/read-marker`;

    const res = await post(marker, agent.headers);
    expect(res.statusCode).toBe(200);
    const at = res.json().data.agentReadAt as string;
    const frame = (await visitorWs.next((f) => f.type === 'read', 'read')) as unknown as { agentReadAt: string };
    expect(frame.agentReadAt).toBe(at);
    const history = await t().app.inject({ method: 'GET', url: `/api/v1/widget/${web}/messages`, headers: v.headers });
    expect(history.json().data.agentReadAt).toBe(at);

    // Nothing new from the customer: the marker stays, and nothing is emitted.
    expect((await post(marker, acc.owner.headers)).json().data.agentReadAt).toBe(at);
    await t().settle();
    const markers = await withSystem(t().database.db, (tx) =>
      tx.select().from(webchatReadMarkers).where(eq(webchatReadMarkers.conversationId, conversationId)),
    );
    expect(markers).toEqual([expect.objectContaining({ agentUserId: agent.userId })]);
    expect(visitorWs.frames.filter((f) => f.type === 'read')).toEqual([]);

    // Read markers are staff-only and per tenant.
    expect((await post(marker, {})).statusCode).toBe(401);
    expect((await post(marker, (await createAccount(t())).owner.headers)).statusCode).toBe(404);
  });

  it('records nothing for a conversation of another channel', async () => {
    const acc = await createAccount(t());
    const res = await t().app.inject({
      method: 'POST',
      url: '/api/v1/conversations',
      headers: acc.owner.headers,
      payload: { customer: { email: 'x@example.com' }, message: { body: 'By API' } },
    });
    const id = res.json().data.conversation.id;
    const marker = await post(`/api/v1/conversations/${id}/read-marker`, acc.owner.headers);
    expect(marker.statusCode).toBe(200);
    expect(marker.json().data.agentReadAt).toBeNull();
  });
});

describe('visitor pushes across nodes', () => {
  let nodeB: { hub: RealtimeHub; wss: WebSocketServer; url: string };

  beforeAll(async () => {
    // A second node: its own hub on the shared pub/sub, its own visitor sockets, its own WebSocket server.
    const hub = new RealtimeHub(pubsub);
    hub.routeWire(visitorTopics);
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    const { port } = wss.address() as { port: number };
    nodeB = { hub, wss, url: `ws://127.0.0.1:${port}` };
  });
  afterAll(async () => {
    await nodeB.hub.close();
    await new Promise((r) => nodeB.wss.close(r));
  });

  it('delivers a reply committed on one node to the visitor connected to another', async () => {
    const { acc, web, conversationId } = await chat();
    const [visitor] = await withSystem(t().database.db, (tx) =>
      tx
        .select()
        .from(webchatVisitors)
        .where(and(eq(webchatVisitors.accountId, acc.accountId), eq(webchatVisitors.channelId, web))),
    );
    nodeB.wss.once('connection', (s) =>
      nodeB.hub.accept(
        s,
        { kind: 'customer', customerId: visitor!.customerId, accountId: visitor!.accountId, channelId: visitor!.channelId },
        visitorProfile(visitor!, () => {}),
      ),
    );
    const onB = await openFrameSocket<{ type: string; message?: { body: string } }>(nodeB.url);
    open.push(onB.socket);

    const reply = await t().app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: acc.owner.headers,
      payload: { kind: 'outgoing', body: 'From node A' },
    });
    expect(reply.statusCode).toBe(201);
    const frame = await onB.next((f) => f.type === 'message', 'the reply on node B');
    expect(frame.message!.body).toBe('From node A');
  });
});
