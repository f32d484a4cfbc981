import { and, asc, eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { createAccount, createTeam, createUser, type TestUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { openFrameSocket } from '../../../test/ws-frames';
import { agentConnections, agentPresenceHistory } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import { read } from '../../platform/tx';
import { setTeamRouting } from './commands/set-team-routing';
import { routingJobs } from './jobs';
import { DISCONNECT_GRACE_SECONDS, presenceJobs } from './presence-jobs';
import { createChannel, inbound } from './test-support';

// The sweep looks at every account's rows: this file has an app of its own.
const t = useTestApp({ isolated: true });
let wsBase = '';
const open: WebSocket[] = [];

beforeAll(async () => {
  wsBase = (await t().app.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws');
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

const setState = (user: TestUser, state: string) =>
  t().app.inject({ method: 'PUT', url: '/api/v1/presence', headers: user.headers, payload: { state } });
const me = async (user: TestUser) => (await t().app.inject({ url: '/api/v1/presence/me', headers: user.headers })).json().data;
const subject = (user: TestUser) => ({ kind: 'user' as const, accountId: user.accountId, userId: user.userId });

/** The agent's realtime socket, once the server has recorded it. */
async function connect(user: TestUser): Promise<WebSocket> {
  const { socket } = await openFrameSocket(`${wsBase}/api/v1/realtime`, { headers: { cookie: user.headers.cookie } });
  open.push(socket);
  await t().hub.settled();
  return socket;
}

/** Closes the socket and waits until the server has counted it out and recorded it. */
async function disconnect(user: TestUser, socket: WebSocket): Promise<void> {
  const before = t().hub.socketCount(subject(user));
  socket.close();
  for (let waited = 0; t().hub.socketCount(subject(user)) >= before; waited += 10) {
    if (waited > 5000) throw new Error('the server never saw the socket close');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await t().hub.settled();
}

const jobsOf = async (name: string, user: TestUser) =>
  (
    await t().database.pool.query<{ start_after: Date; state: string; data: { closedAt?: string } }>(
      `select start_after, state, data from pgboss.job where name = $1 and data->>'userId' = $2 order by created_on`,
      [name, user.userId],
    )
  ).rows;

/** The grace is waited for by making the user's jobs of this kind due now. */
async function due(name: string, user: TestUser) {
  await t().database.pool.query(
    `update pgboss.job set start_after = now() where name = $1 and data->>'userId' = $2 and state = 'created'`,
    [name, user.userId],
  );
  await t().settle();
}

describe('away after the last socket closes', () => {
  it('sets an online agent away once the grace is over, recorded as disconnected', async () => {
    const acc = await createAccount(t());
    const dana = await createUser(t(), acc.accountId, 'agent');
    const socket = await connect(dana);
    await setState(dana, 'online');
    expect(await jobsOf('routing.presence-disconnected', dana)).toEqual([]);

    const closing = Date.now();
    await disconnect(dana, socket);
    const [job] = await jobsOf('routing.presence-disconnected', dana);
    expect(job!.start_after.getTime()).toBeGreaterThanOrEqual(closing + DISCONNECT_GRACE_SECONDS * 1000 - 1000);
    await t().settle();
    expect(await me(dana)).toMatchObject({ state: 'online' }); // not before the grace is over

    await due('routing.presence-disconnected', dana);
    expect(await me(dana)).toMatchObject({ state: 'away', source: 'disconnected' });
    const history = await read(dana.ctx, (tx) =>
      tx
        .select({ state: agentPresenceHistory.state, source: agentPresenceHistory.source })
        .from(agentPresenceHistory)
        .where(and(eq(agentPresenceHistory.accountId, acc.accountId), eq(agentPresenceHistory.userId, dana.userId)))
        .orderBy(asc(agentPresenceHistory.startedAt)),
    );
    expect(history).toEqual([
      { state: 'online', source: 'manual' },
      { state: 'away', source: 'disconnected' },
    ]);
  });

  it('leaves an agent who reconnected within the grace, or still has another socket open, as they were', async () => {
    const acc = await createAccount(t());
    const eli = await createUser(t(), acc.accountId, 'agent');
    const first = await connect(eli);
    await setState(eli, 'busy');
    await disconnect(eli, first);
    const again = await connect(eli); // a reload
    await due('routing.presence-disconnected', eli);
    expect(await me(eli)).toMatchObject({ state: 'busy', source: 'manual' });

    // Two tabs: closing one is not a disconnect.
    const tab = await connect(eli);
    await disconnect(eli, tab);
    expect((await jobsOf('routing.presence-disconnected', eli)).filter((j) => j.state === 'created')).toEqual([]);
    await disconnect(eli, again);
    expect((await jobsOf('routing.presence-disconnected', eli)).filter((j) => j.state === 'created')).toHaveLength(1);
    await due('routing.presence-disconnected', eli);
    expect(await me(eli)).toMatchObject({ state: 'away', source: 'disconnected' });
  });

  it('never touches an agent who is away or offline, or one who works through the API only', async () => {
    const acc = await createAccount(t());
    const away = await createUser(t(), acc.accountId, 'agent');
    const apiOnly = await createUser(t(), acc.accountId, 'agent');
    await setState(apiOnly, 'online');
    const socket = await connect(away);
    await setState(away, 'away');
    await disconnect(away, socket);
    expect(await jobsOf('routing.presence-disconnected', away)).toEqual([]);
    expect(await jobsOf('routing.presence-disconnected', apiOnly)).toEqual([]);
    await t().settle();
    expect(await me(apiOnly)).toMatchObject({ state: 'online' });
    expect(await me(away)).toMatchObject({ state: 'away', source: 'manual' });
  });

  it("sweeps the sockets of a node that is gone, and the team's grace then returns the agent's conversations", async () => {
    const acc = await createAccount(t());
    const web = await createChannel(t(), acc.accountId, 'web');
    const team = await createTeam(t(), acc.accountId, 'Returns');
    await setTeamRouting(acc.owner.ctx, team, { offlineConversations: { mode: 'requeue', graceMinutes: 15 } });
    const dana = await createUser(t(), acc.accountId, 'agent', { name: 'Dana', teamIds: [team] });
    await setState(dana, 'online');
    const conv = await inbound(acc.owner, web, { teamId: team });
    await t().settle();
    // Another node had Dana's socket and died two minutes ago: its row stopped being refreshed.
    const seenAt = new Date(Date.now() - 150_000);
    await withSystem(t().database.db, (tx) =>
      tx.insert(agentConnections).values({ accountId: acc.accountId, userId: dana.userId, nodeId: 'dead-node', openedAt: seenAt, seenAt }),
    );
    await presenceJobs(t(), routingJobs(t())).sweep();
    const [job] = await jobsOf('routing.presence-disconnected', dana);
    expect(job!.data.closedAt).toBe(seenAt.toISOString());
    await due('routing.presence-disconnected', dana);
    expect(await me(dana)).toMatchObject({ state: 'away', source: 'disconnected' });

    await due('routing.return-conversations', dana);
    const decisions = (await t().app.inject({ url: `/api/v1/conversations/${conv.id}/routing-decisions`, headers: dana.headers })).json()
      .data;
    expect(decisions[0]).toMatchObject({ outcome: 'queued' });
    expect(decisions[0].explanation.why).toMatch(
      /^Returned to the queue: Dana was away \(disconnected\) for 15 minutes \(team Returns returns conversations after 15 min\); then queued/,
    );
  });
});
