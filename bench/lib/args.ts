import { parseArgs } from 'node:util';
import type { EngineKind } from './engine';

export interface BenchArgs {
  engines: EngineKind[];
  scale: number;
  durationSec: number;
  warmupSec: number;
  workloads: string[];
  /** HTTP connections and raw-SQL workers for W1 (writes); SMTP and HTTP clients of the email workload (at most 16). */
  connections: number;
  /** HTTP connections and raw-SQL workers for W7 (reads). */
  readConnections: number;
  /** The server's pool on PostgreSQL, and the reference pool's size (PGlite has one connection). */
  poolSize: number;
  seed: number;
  /** Sandwich repetitions (ref -> ours -> ref each); medians over all of them. */
  reps: number;
  workers: boolean;
  /** Write a CPU profile of each of our passes to bench/results/ (lib/profile.ts). */
  profile: boolean;
  /** W3: online agents in the routed team (BENCHMARKS: 5,000). */
  agents: number;
  /** W2 (opt-in: `--workloads w2`): agent sockets, widget visitors, visitor messages/s per step, load processes. */
  w2: { agents: number; visitors: number; rates: number[]; clients: number };
}

export const USAGE = `npm run bench -- [--engine pg|pglite|both] [--scale 0.01] [--duration 10] [--warmup 3]
  [--workloads w1,w3,w7,email] [--connections 32] [--read-connections 8] [--pool-size 10] [--seed 42] [--reps 1] [--no-workers] [--profile]
  [--agents 5000] [--w2-agents 200] [--w2-visitors 50] [--w2-rates 20,100] [--w2-clients 2]
W2 (widget -> agent push) is opt-in: --workloads w2 (or w1,w2,...).
PostgreSQL admin URL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)`;

export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      engine: { type: 'string', default: 'both' },
      scale: { type: 'string', default: '0.01' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string' },
      workloads: { type: 'string', default: 'w1,w3,w7,email' },
      connections: { type: 'string', default: '32' },
      'read-connections': { type: 'string', default: '8' },
      'pool-size': { type: 'string', default: '10' },
      seed: { type: 'string', default: '42' },
      reps: { type: 'string', default: '1' },
      'no-workers': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      agents: { type: 'string', default: '5000' },
      'w2-agents': { type: 'string', default: '200' },
      'w2-visitors': { type: 'string', default: '50' },
      'w2-rates': { type: 'string', default: '20,100' },
      'w2-clients': { type: 'string', default: '2' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const num = (name: string, raw: string, min: number) => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number >= ${min}\n${USAGE}`);
    return n;
  };
  const engine = values.engine;
  if (engine !== 'pg' && engine !== 'pglite' && engine !== 'both') throw new Error(`--engine must be pg, pglite or both\n${USAGE}`);
  const durationSec = num('duration', values.duration, 1);
  const workloads = values.workloads.split(',').map((w) => w.trim().toLowerCase());
  for (const w of workloads)
    if (w !== 'w1' && w !== 'w2' && w !== 'w3' && w !== 'w7' && w !== 'email')
      throw new Error(`unknown workload ${w} (w1, w2, w3, w7, email)`);
  return {
    engines: engine === 'both' ? ['pg', 'pglite'] : [engine],
    scale: num('scale', values.scale, 0.0001),
    durationSec,
    warmupSec: values.warmup === undefined ? Math.min(3, Math.ceil(durationSec / 2)) : num('warmup', values.warmup, 0),
    workloads,
    connections: num('connections', values.connections, 1),
    readConnections: num('read-connections', values['read-connections'], 1),
    poolSize: num('pool-size', values['pool-size'], 1),
    seed: num('seed', values.seed, 0),
    reps: num('reps', values.reps, 1),
    workers: !values['no-workers'],
    profile: values.profile,
    agents: Math.round(num('agents', values.agents, 1)),
    w2: {
      agents: Math.round(num('w2-agents', values['w2-agents'], 1)),
      visitors: Math.round(num('w2-visitors', values['w2-visitors'], 1)),
      rates: values['w2-rates'].split(',').map((r) => num('w2-rates', r.trim(), 0.1)),
      clients: Math.round(num('w2-clients', values['w2-clients'], 1)),
    },
  };
}
