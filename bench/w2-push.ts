import { randomBytes } from 'node:crypto';
import { runPushPass, type PushPassResult } from './lib/push-load';
import { startRefServer } from './lib/push-ref-server';
import { commitLatency, setUpPush, type PushSetup } from './lib/push-setup';
import type { WorkloadResult } from './lib/report';
import { medianSummary, round, type LoadSummary } from './lib/stats';
import { waitForQuiet } from './lib/quiet';
import { resultOf, sandwich, sqlPerRequest, type Sandwich, type WorkloadCtx } from './lib/workload';

/** Seconds to keep collecting deliveries after the last message of a pass was due. */
const DRAIN_SEC = 5;

interface RatePoint {
  rate: number;
  replyRate: number;
  ours: PushPassResult[];
  ref: PushPassResult[];
  commit: LoadSummary;
  /** SQL statements per visitor POST and per agent reply POST (BENCHMARKS §4.1 rule 6). */
  sql: { push: number; reply: number };
  push: Sandwich;
  reply: Sandwich;
}

/**
 * W2, new message -> agent push latency (BENCHMARKS §4.2). The real server, an account from its sign-up, its web
 * chat channel, --w2-agents agents each with a session-cookie WebSocket on /api/v1/realtime subscribed to
 * `account:<id>` (the web app's inbox subscription) and --w2-visitors widget visitors (public widget API, one
 * visitor socket each). Per rate in --w2-rates: visitor messages POSTed open loop at that rate, agent replies at
 * half of it; measured (a) scheduled send -> receipt at every agent socket, (b) reply scheduled send -> receipt at
 * the visitor's socket. R2, sandwiched: a raw `ws` server with the same URLs, subscriber sets and frames (captured
 * from ours), and no database; plus the commit latency of a raw INSERT at the same rate as context. Load comes from
 * --w2-clients child processes, so no client shares the server's event loop.
 */
export async function runW2(ctx: WorkloadCtx): Promise<WorkloadResult[]> {
  const { engine, args } = ctx;
  const w2 = args.w2;
  const setup = await setUpPush(engine.origin, engine.refPool, w2.agents, w2.visitors);
  ctx.log(
    `w2 ${engine.kind}: ${w2.agents} agent sockets, ${w2.visitors} visitors, ${w2.clients} load processes; rates ${w2.rates.join(', ')} msg/s`,
  );
  const runId = randomBytes(3).toString('hex');
  const sql = await probeSql(ctx, setup, runId);
  ctx.log(`w2 ${engine.kind}: SQL statements per visitor POST ${sql.push}, per agent reply ${sql.reply}`);
  if (args.workers) await waitForQuiet(engine.database.pool);
  let pass = 0;
  const points: RatePoint[] = [];
  for (const rate of w2.rates) {
    const replyRate = rate / 2;
    const go = { rate, replyRate, warmupSec: args.warmupSec, durationSec: args.durationSec, drainSec: DRAIN_SEC };
    const runOn = (origin: string) =>
      runPushPass({ origin, ...setupOf(setup), clients: w2.clients, go: { ...go, tag: `w2-${runId}-${pass++}` } });
    const ours: PushPassResult[] = [];
    const ref: PushPassResult[] = [];
    const push = await sandwich(
      ctx,
      `w2 ${engine.kind} @${rate}/s`,
      async () => {
        const server = await startRefServer(setup.visitors, setup.templates);
        try {
          const r = await runOn(server.origin);
          ref.push(r);
          return r.push;
        } finally {
          await server.close();
        }
      },
      async () => {
        const r = await runOn(engine.origin);
        ours.push(r);
        return r.push;
      },
    );
    const commit = await commitLatency(engine.refPool, rate, args.warmupSec, args.durationSec);
    ctx.log(`w2 ${engine.kind} @${rate}/s raw INSERT commit p50 ${commit.p50} ms p99 ${commit.p99} ms (errors ${commit.errors})`);
    const reply: Sandwich = {
      ...push,
      ours: medianSummary(ours.map((o) => o.reply)),
      ref: medianSummary(ref.map((r) => r.reply)),
      refPasses: ref.map((r) => r.reply),
    };
    points.push({ rate, replyRate, ours, ref, commit, sql, push, reply });
  }
  const results = points.flatMap((p) => [resultFor(ctx, p, 'push'), resultFor(ctx, p, 'reply')]);
  console.log(`\n${formatW2(engine.kind, w2.agents, points)}\n`);
  return results;
}

/** Counts the statements of 10 visitor POSTs and 10 agent replies, and checks both answer 201 before any load. */
async function probeSql(ctx: WorkloadCtx, s: PushSetup, runId: string): Promise<{ push: number; reply: number }> {
  const { origin, runtime } = ctx.engine;
  const post = (path: string, headers: Record<string, string>, body: object) =>
    fetch(`${origin}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const visitor = (i: number) => s.visitors[i % s.visitors.length]!;
  const push = await sqlPerRequest(runtime.app.server, 10, (i) =>
    post(
      `/api/v1/widget/${s.channelId}/messages`,
      { authorization: `Bearer ${visitor(i).token}` },
      { body: `Probe ${i}`, clientMessageId: `probe-${runId}-v${i}` },
    ),
  );
  const reply = await sqlPerRequest(runtime.app.server, 10, (i) =>
    post(
      `/api/v1/conversations/${visitor(i).conversationId}/messages`,
      { cookie: s.agentCookies[i % s.agentCookies.length]! },
      { body: `Probe reply ${i}`, kind: 'outgoing', clientMessageId: `probe-${runId}-r${i}` },
    ),
  );
  return { push, reply };
}

const setupOf = (s: PushSetup) => ({ channelId: s.channelId, accountId: s.accountId, agentCookies: s.agentCookies, visitors: s.visitors });

const medianOf = (values: number[]) => round([...values].sort((a, b) => a - b)[values.length >> 1] ?? 0);

function resultFor(ctx: WorkloadCtx, p: RatePoint, side: 'push' | 'reply'): WorkloadResult {
  const s = side === 'push' ? p.push : p.reply;
  const pick = (passes: PushPassResult[]) => ({
    lost: passes.map((x) => x[side].lost),
    expected: passes.map((x) => x[side].expected),
    postP50: passes.map((x) => (side === 'push' ? x.postVisitor : x.postReply).p50),
    postP99: passes.map((x) => (side === 'push' ? x.postVisitor : x.postReply).p99),
    postErrors: passes.map((x) => (side === 'push' ? x.postVisitor : x.postReply).errors),
    agentFramesPerMessage: passes.map((x) => x.agentFramesPerMessage),
    maxSendLagMs: passes.map((x) => x.maxSendLagMs),
    unansweredPosts: passes.map((x) => x.unansweredPosts),
  });
  const w2 = {
    rate: p.rate,
    replyRate: p.replyRate,
    agents: ctx.args.w2.agents,
    visitors: ctx.args.w2.visitors,
    clients: ctx.args.w2.clients,
    p999: s.ours.p999,
    refP99: s.ref.p99,
    refP999: s.ref.p999,
    commit: p.commit,
    /** BENCHMARKS W2 target: ours p99 <= 1.5 x (R2 p99 + commit p99). */
    p99VsRefPlusCommit: round(s.ours.p99 / (s.ref.p99 + p.commit.p99), 3),
    /** (max - min) / min of R2's p99 over its passes (the rate is fixed, so the sandwich's rate spread says nothing). */
    refP99Spread: p99Spread(s.refPasses),
    ours: pick(p.ours),
    ref: pick(p.ref),
  };
  const extra: Partial<WorkloadResult['details']> & { w2: typeof w2 } = {
    sqlPerRequest: p.sql[side],
    eventLoopLagP99Ms: s.eventLoopLagP99Ms,
    eventLoopLagMaxMs: s.eventLoopLagMaxMs,
    note:
      side === 'push'
        ? 'ours/ref = deliveries/s of visitor messages at the agent sockets; latency = scheduled POST -> agent socket receipt'
        : 'ours/ref = agent replies/s received at the visitor sockets; latency = scheduled reply POST -> visitor socket receipt',
    w2,
  };
  return resultOf(ctx, `w2-${side}@${p.rate}`, s, extra, side === 'push' ? 'deliveries/s' : 'replies/s');
}

function p99Spread(passes: LoadSummary[]): number {
  const v = passes.map((x) => x.p99);
  const lo = Math.min(...v);
  return lo > 0 ? round((Math.max(...v) - lo) / lo, 3) : 0;
}

const post = (x: PushPassResult, side: 'push' | 'reply') => (side === 'push' ? x.postVisitor : x.postReply);

/** W2's own table: every figure beside R2 of the same run, and the ratio. */
function formatW2(engine: string, agents: number, points: RatePoint[]): string {
  const head = [
    'W2 ' + engine,
    'rate',
    'ours/s',
    'R2/s',
    'ratio',
    'p50',
    'R2 p50',
    'p99',
    'R2 p99',
    'p99.9',
    'R2 p99.9',
    'commit p99',
    'p99/(R2+commit)',
    'lost',
    'frames/msg',
  ];
  const rows: string[][] = [];
  for (const p of points) {
    for (const side of ['push', 'reply'] as const) {
      const s = side === 'push' ? p.push : p.reply;
      const r = (a: number, b: number) => (b > 0 && a > 0 ? (a / b).toFixed(2) : '-');
      // Nothing received in time: no latency to show (see lost).
      const ms = (x: LoadSummary, v: number) => (x.count > 0 ? String(v) : '-');
      rows.push([
        side === 'push' ? `visitor -> ${agents} agents` : 'agent reply -> visitor',
        String(side === 'push' ? p.rate : p.replyRate),
        String(s.ours.rate),
        String(s.ref.rate),
        r(s.ours.rate, s.ref.rate),
        ms(s.ours, s.ours.p50),
        ms(s.ref, s.ref.p50),
        ms(s.ours, s.ours.p99),
        ms(s.ref, s.ref.p99) + (p99Spread(s.refPasses) > 0.1 ? '*' : ''),
        ms(s.ours, s.ours.p999),
        ms(s.ref, s.ref.p999),
        String(p.commit.p99),
        r(s.ours.p99, s.ref.p99 + p.commit.p99),
        `${medianOf(p.ours.map((o) => post(o, side).p50))} / ${medianOf(p.ours.map((o) => post(o, side).p99))}`,
        String(medianOf(p.ref.map((o) => post(o, side).p99))),
        String(medianOf(p.ours.map((o) => o[side].lost))),
        side === 'push'
          ? `${medianOf(p.ours.map((o) => o.agentFramesPerMessage))} (R2 ${medianOf(p.ref.map((o) => o.agentFramesPerMessage))})`
          : '-',
      ]);
    }
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    line(head),
    ...rows.map(line),
    'latencies in ms from the scheduled send; POST = until the HTTP answer; lost = deliveries missing 5 s after the last send (median of our passes); * the passes of R2 differ by more than 10% in p99',
  ].join('\n');
}
