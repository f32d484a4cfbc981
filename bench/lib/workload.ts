import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Dataset } from '../generate';
import type { BenchArgs } from './args';
import type { Engine } from './engine';
import { profiled } from './profile';
import { waitForQuiet } from './quiet';
import type { Machine, WorkloadResult } from './report';
import { medianSummary, round, spread, type LoadSummary } from './stats';

const RESULTS_DIR = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), 'results');

export interface WorkloadCtx {
  engine: Engine;
  dataset: Dataset;
  /** `Authorization` header value of an agent API key of the dataset's account. */
  authorization: string;
  args: BenchArgs;
  machine: Machine;
  commit: string;
  log: (line: string) => void;
}

export interface Sandwich {
  /** Seconds the background work of each of our passes took to finish after it (see quiet.ts). */
  drainSec: number[];
  ours: LoadSummary;
  ref: LoadSummary;
  refPasses: LoadSummary[];
  /** The bare-Fastify HTTP ceiling (lib/ceiling.ts), median of its passes just before and after each of ours. */
  ceiling?: LoadSummary;
  ceilingPasses?: LoadSummary[];
  eventLoopLagP99Ms: number;
  eventLoopLagMaxMs: number;
}

/**
 * BENCHMARKS §4.1: reference -> ours -> reference (repeated --reps times), medians reported, so drift on a
 * shared machine shows up as a spread between the reference passes instead of silently skewing the ratio.
 * With a `ceiling` (the bare-Fastify app of the same SQL), each of our passes sits between two ceiling passes:
 * ref -> ceiling -> ours -> ceiling -> ref. The server's event-loop delay is sampled only while our passes run.
 */
export async function sandwich(
  ctx: WorkloadCtx,
  name: string,
  ref: () => Promise<LoadSummary>,
  ours: () => Promise<LoadSummary>,
  ceiling?: () => Promise<LoadSummary>,
): Promise<Sandwich> {
  // Without workers nothing drains the outbox: there is no background work to wait for.
  const settle = () => (ctx.args.workers ? waitForQuiet(ctx.engine.database.pool) : Promise.resolve(0));
  await settle();
  const refPasses = [await ref()];
  ctx.log(`${name} ref  ${brief(refPasses[0]!)}`);
  const oursPasses: LoadSummary[] = [];
  const drainSec: number[] = [];
  const ceilingPasses: LoadSummary[] = [];
  const ceil = async () => {
    if (!ceiling) return;
    ceilingPasses.push(await ceiling());
    ctx.log(`${name} ceil ${brief(ceilingPasses.at(-1)!)}`);
    await settle();
  };
  const lag = monitorEventLoopDelay({ resolution: 10 });
  for (let i = 0; i < ctx.args.reps; i++) {
    await ceil();
    lag.enable();
    const profile = ctx.args.profile ? path.join(RESULTS_DIR, `${name.replace(/\W+/g, '-')}-ours-${i + 1}.cpuprofile`) : null;
    const o = await profiled(profile, ours);
    lag.disable();
    if (profile) ctx.log(`${name} ours: CPU profile ${path.relative(process.cwd(), profile)}`);
    oursPasses.push(o);
    drainSec.push(await settle());
    ctx.log(`${name} ours ${brief(o)}; background work drained in ${drainSec.at(-1)} s`);
    await ceil();
    const r = await ref();
    refPasses.push(r);
    ctx.log(`${name} ref  ${brief(r)}`);
  }
  return {
    drainSec,
    ours: medianSummary(oursPasses),
    ref: medianSummary(refPasses),
    refPasses,
    ...(ceiling ? { ceiling: medianSummary(ceilingPasses), ceilingPasses } : {}),
    eventLoopLagP99Ms: round(lag.percentile(99) / 1e6),
    eventLoopLagMaxMs: round(lag.max / 1e6),
  };
}

function brief(s: LoadSummary): string {
  return `${s.rate} req/s p50 ${s.p50} ms p95 ${s.p95} ms p99 ${s.p99} ms errors ${s.errors}${s.sampleError ? ` (${s.sampleError.slice(0, 160)})` : ''}`;
}

export function resultOf(
  ctx: WorkloadCtx,
  workload: string,
  s: Sandwich,
  extra: Partial<WorkloadResult['details']>,
  unit: WorkloadResult['unit'] = 'req/s',
): WorkloadResult {
  const refSpread = spread(s.refPasses);
  const result: WorkloadResult = {
    workload,
    engine: ctx.engine.kind,
    ours: s.ours.rate,
    ref: s.ref.rate,
    ratio: ratioOf(s.ours.rate, s.ref.rate),
    p50: s.ours.p50,
    p95: s.ours.p95,
    p99: s.ours.p99,
    rate: s.ours.rate,
    unit,
    machine: { nproc: ctx.machine.nproc, node: ctx.machine.node, pg: ctx.engine.version, durability: ctx.engine.durability },
    commit: ctx.commit,
    details: {
      ours: s.ours,
      ref: s.ref,
      refPasses: s.refPasses,
      refSpread,
      unstable: refSpread > 0.1,
      p95Ratio: s.ref.p95 > 0 ? round(s.ours.p95 / s.ref.p95, 3) : 0,
      connections: 0,
      poolSize: ctx.engine.poolSize,
      ...(s.ceiling ? { ceiling: s.ceiling, ceilingPasses: s.ceilingPasses, ceilingRatio: ratioOf(s.ours.rate, s.ceiling.rate) } : {}),
      ...extra,
    },
  };
  console.log(
    JSON.stringify({
      ...result,
      details: undefined,
      refSpread,
      unstable: result.details.unstable,
      p95Ratio: result.details.p95Ratio,
      errors: s.ours.errors,
      eventLoopLagP99Ms: result.details.eventLoopLagP99Ms,
      sqlPerRequest: result.details.sqlPerRequest,
      ...(s.ceiling
        ? { ceiling: s.ceiling.rate, ceilingRatio: result.details.ceilingRatio, ceilingSqlPerRequest: result.details.ceilingSqlPerRequest }
        : {}),
      ...(result.details.sustainedRate !== undefined
        ? { sustainedRate: result.details.sustainedRate, sustainedRatio: result.details.sustainedRatio }
        : {}),
    }),
  );
  return result;
}

const ratioOf = (a: number, b: number) => (b > 0 ? round(a / b, 3) : 0);

interface RequestQueries {
  count: number;
  done: boolean;
}

const requestScope = new AsyncLocalStorage<RequestQueries>();
const probed: RequestQueries[] = [];
let probing = false;
const wrappedServers = new WeakSet<Server>();
let clientPatched = false;

/**
 * Counts node-postgres queries per HTTP request: each request runs in an AsyncLocalStorage scope, and every
 * query (Client#query: pool queries and transaction statements alike) issued in that scope before the
 * response ends is billed to it. The outbox dispatch a commit schedules (setImmediate) runs after the
 * response and the job workers run on their own timers, so neither is counted.
 */
function installQueryCounter(server: Server): void {
  if (wrappedServers.has(server)) return;
  wrappedServers.add(server);
  if (!clientPatched) {
    clientPatched = true;
    const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = proto.query;
    proto.query = function (this: unknown, ...args: unknown[]) {
      const scope = requestScope.getStore();
      if (scope && !scope.done) scope.count++;
      return original.apply(this, args);
    };
  }
  const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!probing) return listeners.forEach((l) => l.call(server, req, res));
    const scope: RequestQueries = { count: 0, done: false };
    probed.push(scope);
    const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
    res.end = ((...a: unknown[]) => {
      scope.done = true;
      return end(...a);
    }) as typeof res.end;
    requestScope.run(scope, () => listeners.forEach((l) => l.call(server, req, res)));
  });
}

/**
 * SQL statements per request (BENCHMARKS §4.1 rule 6), BEGIN/COMMIT and the tenant binding included, from
 * `n` sequential requests. Also checks every response is a success before any load is measured.
 */
export async function sqlPerRequest(server: Server, n: number, send: (i: number) => Promise<Response>): Promise<number> {
  installQueryCounter(server);
  await send(0).then(assertOk); // warm caches (API key lookup) outside the count
  probed.length = 0;
  probing = true;
  try {
    for (let i = 1; i <= n; i++) await send(i).then(assertOk);
  } finally {
    probing = false;
  }
  return round(probed.reduce((sum, p) => sum + p.count, 0) / probed.length, 1);
}

async function assertOk(res: Response): Promise<void> {
  const text = await res.text();
  if (!res.ok) throw new Error(`probe request failed: ${res.status} ${text.slice(0, 500)}`);
}
