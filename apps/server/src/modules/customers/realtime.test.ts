import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createAccount, createUser, type TestUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { openFrameSocket } from '../../../test/ws-frames';

const t = useTestApp();
const api = '/api/v1/customers';
let base = '';
const sockets: WebSocket[] = [];

beforeAll(async () => {
  base = (await t().app.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws');
});

afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

type Frame = {
  type: string;
  topic?: string;
  code?: string;
  event?: { type: string; customerId: string; payload: Record<string, unknown> };
};

/** A real WebSocket client; `next` waits for the first frame matching a predicate. */
async function connect(user: TestUser) {
  const { socket, next } = await openFrameSocket<Frame>(`${base}/api/v1/realtime`, { headers: { cookie: user.headers.cookie } });
  sockets.push(socket);
  const subscribe = (topic: string) => {
    socket.send(JSON.stringify({ type: 'subscribe', topic }));
    return next((f) => (f.type === 'subscribed' || f.type === 'error') && f.topic === topic, `answer to ${topic}`);
  };
  return { subscribe, next };
}

describe('realtime: customer topics', () => {
  it('pushes profile changes and merges to customer:<id> with the presented customer', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const create = async (name: string) =>
      (await t().app.inject({ method: 'POST', url: api, headers: agent.headers, payload: { name } })).json().data;
    const target = await create('Target');
    const source = await create('Source');
    const client = await connect(agent);
    expect((await client.subscribe(`customer:${target.id}`)).type).toBe('subscribed');
    // A second page, showing the profile that is about to be merged away.
    const sourceViewer = await connect(agent);
    expect((await sourceViewer.subscribe(`customer:${source.id}`)).type).toBe('subscribed');

    await t().app.inject({ method: 'PATCH', url: `${api}/${target.id}`, headers: agent.headers, payload: { vip: true } });
    const updated = await client.next((f) => f.event?.type === 'customer.updated', 'customer.updated');
    expect(updated.topic).toBe(`customer:${target.id}`);
    expect(updated.event!.payload.customer).toMatchObject({ id: target.id, vip: true });

    await t().app.inject({
      method: 'POST',
      url: `${api}/${target.id}/merge`,
      headers: acc.owner.headers,
      payload: { sourceId: source.id },
    });
    const onSource = await sourceViewer.next(
      (f) => f.event?.type === 'customer.merged' && f.topic === `customer:${source.id}`,
      'merge on source topic',
    );
    expect(onSource.event!.payload).toMatchObject({ sourceId: source.id, target: { id: target.id } });
  });

  it("forbids another account's customer and malformed ids", async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const c = (await t().app.inject({ method: 'POST', url: api, headers: acc.owner.headers, payload: { name: 'Private' } })).json().data;
    const outsider = await connect(other.owner);
    expect(await outsider.subscribe(`customer:${c.id}`)).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(await outsider.subscribe('customer:nope')).toMatchObject({ type: 'error', code: 'forbidden' });
    const analyst = await connect(await createUser(t(), acc.accountId, 'analyst'));
    expect((await analyst.subscribe(`customer:${c.id}`)).type).toBe('subscribed');
  });
});
