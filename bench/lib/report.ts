import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { EngineKind } from './engine';
import { round, type LoadSummary } from './stats';

export interface Machine {
  nproc: number;
  cpu: string;
  memGiB: number;
  node: string;
  platform: string;
}

export interface WorkloadResult {
  workload: string;
  engine: EngineKind;
  /** Our rate and the reference's (median of the sandwich's reference passes). */
  ours: number;
  ref: number;
  ratio: number;
  p50: number;
  p95: number;
  p99: number;
  rate: number;
  unit: 'req/s' | 'deliveries/s' | 'replies/s';
  machine: { nproc: number; node: string; pg: string; durability: string };
  commit: string;
  details: {
    ours: LoadSummary;
    ref: LoadSummary;
    refPasses: LoadSummary[];
    /** (max - min) / min of the reference rates; > 0.10 marks the run unstable (BENCHMARKS §4.1). */
    refSpread: number;
    unstable: boolean;
    /** ours.p95 / ref.p95 (the W7 target is <= 1.5). */
    p95Ratio: number;
    connections: number;
    poolSize: number;
    sqlPerRequest?: number;
    eventLoopLagP99Ms?: number;
    eventLoopLagMaxMs?: number;
    /** W1: seconds until the listener jobs our pass queued had all run (-1: gave up waiting). */
    asyncDrainSec?: number;
    /** W1: requests / (pass + drain seconds): ingestion including its durable background work. */
    sustainedRate?: number;
    /** W1: sustainedRate / the raw reference's rate. */
    sustainedRatio?: number;
    /** The bare-Fastify ceiling of the same SQL (lib/ceiling.ts): its median rate, passes, ours / it, its SQL per request. */
    ceiling?: LoadSummary;
    ceilingPasses?: LoadSummary[];
    ceilingRatio?: number;
    ceilingSqlPerRequest?: number;
    note?: string;
  };
}

export function machineInfo(): Machine {
  return {
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** The checked-out commit (read-only git call); "unknown" outside a checkout. */
export function commitId(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

/** The human table printed at the end of a run. */
export function formatTable(results: WorkloadResult[]): string {
  const head = [
    'workload',
    'engine',
    'ours req/s',
    'ref req/s',
    'ratio',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'ref p95',
    'p95 ratio',
    'errors',
    'SQL/req',
    'loop p99',
    'ceiling',
    'vs ceil',
    'sustained',
  ];
  const rows = results.map((r) => [
    r.workload,
    r.engine,
    String(r.ours),
    String(r.ref),
    r.ratio.toFixed(2) + (r.details.unstable ? '*' : ''),
    String(r.p50),
    String(r.p95),
    String(r.p99),
    String(r.details.ref.p95),
    r.details.p95Ratio.toFixed(2),
    String(r.details.ours.errors),
    r.details.sqlPerRequest === undefined ? '-' : String(r.details.sqlPerRequest),
    r.details.eventLoopLagP99Ms === undefined ? '-' : `${r.details.eventLoopLagP99Ms} ms`,
    r.details.ceiling ? `${r.details.ceiling.rate} (${r.details.ceilingSqlPerRequest ?? '-'} SQL)` : '-',
    r.details.ceilingRatio === undefined ? '-' : r.details.ceilingRatio.toFixed(2),
    r.details.sustainedRate === undefined ? '-' : `${r.details.sustainedRate} (${(r.details.sustainedRatio ?? 0).toFixed(2)})`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? pad(c, widths[i]!) : lpad(c, widths[i]!))).join('  ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  const native = new Map(results.filter((r) => r.engine === 'pg').map((r) => [r.workload, r]));
  const cross = results.filter((r) => r.engine === 'pglite' && native.has(r.workload));
  if (cross.length > 0) {
    out.push('', 'PGlite / native PostgreSQL (our req/s):');
    for (const r of cross) {
      const n = native.get(r.workload)!.ours;
      out.push(`  ${pad(r.workload, 10)} ${n > 0 ? (r.ours / n).toFixed(2) : '-'}`);
    }
  }
  if (results.some((r) => r.details.unstable))
    out.push('', '* the two reference passes differ by more than 10%: treat the ratio as indicative');
  return out.join('\n');
}

export function pgliteVsNative(results: WorkloadResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    if (r.engine !== 'pglite') continue;
    const n = results.find((x) => x.engine === 'pg' && x.workload === r.workload);
    if (n && n.ours > 0) out[r.workload] = round(r.ours / n.ours, 3);
  }
  return out;
}
