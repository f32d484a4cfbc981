import { randomUUID } from 'node:crypto';
import { decideRouting, weightOf, type CandidateAgent } from '@touchpoint/shared';
import { routeConversation } from '../apps/server/src/modules/routing';
import { systemCtx } from '../apps/server/src/platform/context';
import type { WorkloadResult } from './lib/report';
import { LatencyRecorder, median, round, type LoadSummary } from './lib/stats';
import { resultOf, sandwich, type WorkloadCtx } from './lib/workload';

const ROUTERS = 16;
/** DEFAULT_MAX_LOAD with a web-chat weight of 1/3: capacity 3 chats per agent (BENCHMARKS W3). */
const MAX_LOAD = 1;
const WEIGHT = weightOf('web');
/** Share of a round's capacity routed before the round ends: near full, every candidate races for the last seats. */
const ROUND_FILL = 0.8;

interface Setup {
  accountId: string;
  teamId: string;
  channelId: string;
  customerId: string;
  agentIds: string[];
}

interface Checks {
  rounds: number;
  loadViolations: number;
  assignmentViolations: number;
  gini: number[];
  /** Round-robin by the reference, least-loaded by ours: loads per agent at the end of each round. */
  maxLoad: number;
}

/**
 * W3, routing decisions/s (BENCHMARKS §4.2): ours = routeConversation in-process from 16 concurrent routers over
 * N online agents of one team (capacity 3 web chats each); R3a = the same durable writes through raw node-postgres,
 * on a pre-chosen agent, without a decision; R3b = decideRouting alone over the same candidate set. Capacity is
 * replenished in rounds (time between rounds is not measured): each round creates 3N new conversations, routes
 * 80% of them, then checks capacity, resolves them and zeroes the loads.
 */
export async function runW3(ctx: WorkloadCtx): Promise<WorkloadResult[]> {
  const { engine, args } = ctx;
  const setup = await setUp(ctx);
  const n = setup.agentIds.length;
  ctx.log(`w3 ${engine.kind}: ${n} online agents in one team, ${n * 3} conversations per round`);
  const sys = systemCtx({ db: engine.runtime.database.db, events: engine.runtime.events }, setup.accountId, 'bench-w3');
  const checks = { ref: emptyChecks(), ours: emptyChecks() };
  let numberSeq = 10_000_000;

  const newRound = async (mode: 'ref' | 'ours' | null, previous: string[], create = true): Promise<string[]> => {
    if (mode) await checkRound(ctx, setup, previous, checks[mode]);
    await engine.refPool.query(
      `update conversations set status = 'resolved', resolved_at = now() where account_id = $1 and team_id = $2 and status = 'open'`,
      [setup.accountId, setup.teamId],
    );
    await engine.refPool.query(`update agent_loads set load = 0 where account_id = $1 and user_id = any($2::uuid[])`, [
      setup.accountId,
      setup.agentIds,
    ]);
    if (!create) return [];
    const count = n * 3;
    const ids = Array.from({ length: count }, () => randomUUID());
    const first = numberSeq;
    numberSeq += count;
    await engine.refPool.query(
      `insert into conversations (id, account_id, number, customer_id, channel_id, team_id, subject, status, waiting_since)
       select id, $2, $3 + ord::int, $4, $5, $6, 'W3 routing', 'open', now() from unnest($1::uuid[]) with ordinality as t(id, ord)`,
      [ids, setup.accountId, first, setup.customerId, setup.channelId, setup.teamId],
    );
    return ids;
  };

  let current: string[] = await newRound(null, []);
  const pass = (mode: 'ref' | 'ours', task: (conversationId: string, i: number) => Promise<void>) =>
    runRounds({
      durationSec: args.durationSec,
      warmupSec: args.warmupSec,
      perRound: Math.floor(n * 3 * ROUND_FILL),
      refill: async () => void (current = await newRound(mode, current)),
      task: (i) => task(current[i]!, i),
    });

  const ref = () => pass('ref', (conversationId, i) => refTransaction(ctx, setup, conversationId, setup.agentIds[i % n]!));
  const ours = () =>
    pass('ours', async (conversationId) => {
      const r = await routeConversation(sys, conversationId);
      if (r.outcome !== 'assigned') throw new Error(`routing outcome ${r.outcome}: ${r.decision?.explanation.why ?? ''}`);
    });

  const s = await sandwich(ctx, `w3 ${engine.kind}`, ref, ours);
  await newRound('ref', current, false); // checks the last reference round, leaves no open W3 conversation behind
  const doubles = await doubleAssignments(ctx, setup);
  // R3b: the in-memory decision. An assignment runs decideRouting over the pick's shortlist (at most 6 agents);
  // a queued decision (or a dry run) over the whole team.
  const seconds = Math.min(args.durationSec, 5) / 2;
  const r3b = { shortlist: decideAlone(setup.agentIds.slice(0, 6), seconds), team: decideAlone(setup.agentIds, seconds) };
  for (const [name, r] of Object.entries(r3b))
    ctx.log(
      `w3 ${engine.kind} R3b decideRouting over ${r.candidates} candidates (${name}): ${r.decisionsPerSec}/s, ${r.usPerDecision} µs each`,
    );
  const w3 = {
    agents: n,
    routers: ROUTERS,
    capacityViolations: checks.ours.loadViolations + checks.ours.assignmentViolations,
    refCapacityViolations: checks.ref.loadViolations + checks.ref.assignmentViolations,
    doubleAssignments: doubles,
    loadGini: round(median(checks.ours.gini.length ? checks.ours.gini : [0]), 4),
    refLoadGini: round(median(checks.ref.gini.length ? checks.ref.gini : [0]), 4),
    roundsOurs: checks.ours.rounds,
    roundsRef: checks.ref.rounds,
    maxAgentLoadSeen: round(Math.max(checks.ours.maxLoad, checks.ref.maxLoad), 6),
    r3b,
  };
  console.log(JSON.stringify({ workload: 'w3-routing', engine: engine.kind, ...w3 }));
  // Not part of WorkloadResult['details'] (report.ts belongs to the harness): carried along as extra keys.
  const extra: Partial<WorkloadResult['details']> & { w3: typeof w3 } = {
    connections: ROUTERS,
    eventLoopLagP99Ms: s.eventLoopLagP99Ms,
    eventLoopLagMaxMs: s.eventLoopLagMaxMs,
    note: 'decisions/s: ours = routeConversation in-process, ref = R3a raw writes; R3b and checks under details.w3',
    w3,
  };
  return [resultOf(ctx, 'w3-routing', s, extra)];
}

const emptyChecks = (): Checks => ({ rounds: 0, loadViolations: 0, assignmentViolations: 0, gini: [], maxLoad: 0 });

/** The team, its N online agents (load 0) and a web channel, in the dataset's account. */
async function setUp(ctx: WorkloadCtx): Promise<Setup> {
  const pool = ctx.engine.database.pool;
  const accountId = ctx.dataset.accountId;
  const n = ctx.args.agents;
  const tag = randomUUID().slice(0, 8);
  const agentIds = Array.from({ length: n }, () => randomUUID());
  const teamId = randomUUID();
  await pool.query(
    `insert into users (id, email, name) select id, 'w3-' || $2 || '-' || ord || '@bench.test', 'W3 agent ' || ord
                    from unnest($1::uuid[]) with ordinality as t(id, ord)`,
    [agentIds, tag],
  );
  await pool.query(`insert into memberships (account_id, user_id, role) select $2, id, 'agent' from unnest($1::uuid[]) as t(id)`, [
    agentIds,
    accountId,
  ]);
  await pool.query(`insert into teams (id, account_id, name) values ($1, $2, $3)`, [teamId, accountId, `W3 routers ${tag}`]);
  await pool.query(`insert into team_members (account_id, team_id, user_id) select $2, $3, id from unnest($1::uuid[]) as t(id)`, [
    agentIds,
    accountId,
    teamId,
  ]);
  await pool.query(`insert into agent_presence (account_id, user_id, state) select $2, id, 'online' from unnest($1::uuid[]) as t(id)`, [
    agentIds,
    accountId,
  ]);
  await pool.query(`insert into agent_loads (account_id, user_id, load) select $2, id, 0 from unnest($1::uuid[]) as t(id)`, [
    agentIds,
    accountId,
  ]);
  // Fresh statistics, as autovacuum keeps them in production: with the dataset's (50 agents) the planner would
  // misjudge 5,000 agents in one team.
  await pool.query('analyze users, memberships, teams, team_members, agent_presence, agent_loads');
  const { rows: ch } = await pool.query<{ id: string }>(
    `select id from channels where account_id = $1 and kind = 'web' order by id limit 1`,
    [accountId],
  );
  const { rows: cu } = await pool.query<{ id: string }>(`select id from customers where account_id = $1 order by id limit 1`, [accountId]);
  if (!ch[0] || !cu[0]) throw new Error('w3: the dataset has no web channel or no customer');
  return { accountId, teamId, channelId: ch[0].id, customerId: cu[0].id, agentIds };
}

/**
 * Closed loops of ROUTERS callers, in rounds of `perRound` operations; refill() (untimed) runs before each round.
 * The rate is operations / time spent inside rounds, so each round's ramp-down is counted, refills are not.
 */
async function runRounds(opts: {
  durationSec: number;
  warmupSec: number;
  perRound: number;
  refill: () => Promise<void>;
  task: (i: number) => Promise<void>;
}): Promise<LoadSummary> {
  const pass = async (seconds: number, recorder: LatencyRecorder | null) => {
    let activeMs = 0;
    while (activeMs < seconds * 1000) {
      await opts.refill();
      let next = 0;
      const started = performance.now();
      const deadline = started + seconds * 1000 - activeMs;
      const loop = async () => {
        while (performance.now() < deadline && next < opts.perRound) {
          const i = next++;
          const t0 = performance.now();
          try {
            await opts.task(i);
            recorder?.recordMs(performance.now() - t0);
          } catch (err) {
            recorder?.error(err);
          }
        }
      };
      await Promise.all(Array.from({ length: ROUTERS }, loop));
      activeMs += performance.now() - started;
    }
    return activeMs / 1000;
  };
  if (opts.warmupSec > 0) await pass(opts.warmupSec, null);
  const recorder = new LatencyRecorder();
  const seconds = await pass(opts.durationSec, recorder);
  return recorder.summary(seconds);
}

/** R3a: the durable writes of one routing, on an agent chosen beforehand (no candidate snapshot, no decision). */
async function refTransaction(ctx: WorkloadCtx, setup: Setup, conversationId: string, agentId: string): Promise<void> {
  const client = await ctx.engine.refPool.connect();
  const accountId = setup.accountId;
  try {
    await client.query('begin');
    const { rows } = await client.query<{ assignee_id: string | null }>(
      `select assignee_id from conversations where account_id = $1 and id = $2 for update`,
      [accountId, conversationId],
    );
    if (!rows[0] || rows[0].assignee_id) throw new Error('conversation missing or already assigned');
    const claimed = await client.query(
      `update agent_loads set load = load + $3, last_assigned_at = now() where account_id = $1 and user_id = $2 and load + $3 <= $4 + 1e-9`,
      [accountId, agentId, WEIGHT, MAX_LOAD],
    );
    if (claimed.rowCount !== 1) throw new Error('no capacity left on the pre-chosen agent');
    await client.query(`update conversations set assignee_id = $3, updated_at = now() where account_id = $1 and id = $2`, [
      accountId,
      conversationId,
      agentId,
    ]);
    const explanation = { policy: 'least_loaded', why: `assigned to ${agentId}` };
    await client.query(
      `insert into routing_decisions (id, account_id, conversation_id, outcome, winner_id, explanation) values ($1, $2, $3, 'assigned', $4, $5)`,
      [randomUUID(), accountId, conversationId, agentId, JSON.stringify(explanation)],
    );
    await client.query(
      // Already dispatched: the server's dispatcher must not pick up (and bill ours for) the reference's rows.
      `insert into events (account_id, type, actor_kind, conversation_id, customer_id, payload, dispatched_at)
       values ($1, 'conversation.assigned', 'system', $2, $3, $4, now())`,
      [
        accountId,
        conversationId,
        setup.customerId,
        JSON.stringify({ assigneeId: agentId, teamId: setup.teamId, conversation: { id: conversationId } }),
      ],
    );
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Capacity holds for the round just routed: stored loads and the assigned open conversations per agent. */
async function checkRound(ctx: WorkloadCtx, setup: Setup, conversationIds: string[], into: Checks): Promise<void> {
  const pool = ctx.engine.refPool;
  const { rows: loads } = await pool.query<{ load: number }>(
    `select load from agent_loads where account_id = $1 and user_id = any($2::uuid[])`,
    [setup.accountId, setup.agentIds],
  );
  const { rows: over } = await pool.query<{ n: string }>(
    `select count(*) as n from (
       select assignee_id from conversations where account_id = $1 and id = any($2::uuid[]) and status in ('open', 'pending') and assignee_id is not null
       group by assignee_id having count(*) * $3::float8 > $4::float8 + 1e-9) t`,
    [setup.accountId, conversationIds, WEIGHT, MAX_LOAD],
  );
  into.rounds++;
  into.loadViolations += loads.filter((l) => l.load > MAX_LOAD + 1e-9).length;
  into.assignmentViolations += Number(over[0]!.n);
  into.maxLoad = Math.max(into.maxLoad, ...loads.map((l) => l.load));
  into.gini.push(gini(loads.map((l) => l.load)));
}

/** Conversations of the team with more than one 'assigned' decision (must be 0). */
async function doubleAssignments(ctx: WorkloadCtx, setup: Setup): Promise<number> {
  const { rows } = await ctx.engine.refPool.query<{ n: string }>(
    `select count(*) as n from (
       select d.conversation_id from routing_decisions d join conversations c on c.account_id = d.account_id and c.id = d.conversation_id
       where d.account_id = $1 and c.team_id = $2 and d.outcome = 'assigned' group by d.conversation_id having count(*) > 1) t`,
    [setup.accountId, setup.teamId],
  );
  return Number(rows[0]!.n);
}

/** Gini coefficient of non-negative values: 0 = perfectly even, 1 = one agent has everything. */
export function gini(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const total = v.reduce((s, x) => s + x, 0);
  if (v.length === 0 || total === 0) return 0;
  const weighted = v.reduce((s, x, i) => s + (i + 1) * x, 0);
  return (2 * weighted) / (v.length * total) - (v.length + 1) / v.length;
}

/** R3b: the pure decision over the same N online candidates (varied loads), on one core, no I/O. */
function decideAlone(agentIds: string[], seconds: number): { decisionsPerSec: number; usPerDecision: number; candidates: number } {
  const base = Date.now();
  const candidates: CandidateAgent[] = agentIds.map((userId, i) => ({
    userId,
    state: 'online',
    load: ((i * 7) % 3) * WEIGHT,
    maxLoad: MAX_LOAD,
    skills: {},
    languages: [],
    lastAssignedAt: i % 5 === 0 ? null : new Date(base - i * 1000).toISOString(),
  }));
  const requirements = { requiredSkills: [], language: null, weight: WEIGHT, relaxation: [], relaxationLevel: 0 };
  let count = 0;
  let sink = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) {
    const d = decideRouting({ requirements, candidates, policy: 'skills', rule: null, excludedUserIds: [] });
    sink += d.winnerId ? 1 : 0;
    count++;
  }
  const elapsed = (performance.now() - started) / 1000;
  if (sink !== count) throw new Error('R3b: a decision found no winner');
  return { decisionsPerSec: round(count / elapsed, 1), usPerDecision: round((elapsed * 1e6) / count, 1), candidates: candidates.length };
}
