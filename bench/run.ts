// Touchpoint benchmarks (BENCHMARKS.md W1, W2 (opt-in), W3, W7; email intake): `npm run bench -- --help`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDataset, type Dataset } from './generate';
import { parseBenchArgs, type BenchArgs } from './lib/args';
import { createApiKey, startEngine, type EngineKind } from './lib/engine';
import { runHttpLoad } from './lib/http-load';
import type { LoadSummary } from './lib/stats';
import { commitId, formatTable, machineInfo, pgliteVsNative, type WorkloadResult } from './lib/report';
import type { WorkloadCtx } from './lib/workload';
import { runW1 } from './w1-ingest';
import { runW2 } from './w2-push';
import { runW3 } from './w3-routing';
import { runW7 } from './w7-reads';
import { runEmail } from './w-email';

const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
const log = (line: string) => console.error(`[bench] ${line}`);

interface EngineRun {
  engine: EngineKind;
  version: string;
  durability: string;
  /** R1b-style floor: GET /healthz (no auth, no database) at --read-connections on this machine. */
  httpFloor: LoadSummary;
  dataset: Omit<Dataset, 'activeConversationIds' | 'sampleConversationIds' | 'channelIds' | 'agentIds'>;
}

async function runEngine(
  kind: EngineKind,
  args: BenchArgs,
  base: Pick<WorkloadCtx, 'machine' | 'commit'>,
  results: WorkloadResult[],
): Promise<EngineRun> {
  log(`${kind}: starting`);
  const engine = await startEngine(kind, { poolSize: args.poolSize, workers: args.workers, smtp: args.workloads.includes('email'), log });
  const interrupt = () => {
    log('interrupted: closing the engine (and dropping its database)');
    engine.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  try {
    log(`${kind}: ${engine.version}; ${engine.durability}; server ${engine.origin}`);
    const dataset = await generateDataset(engine.database.pool, { scale: args.scale, seed: args.seed, log: (l) => log(`${kind}: ${l}`) });
    const authorization = await createApiKey(engine.database.pool, dataset.accountId, 'agent');
    const ctx: WorkloadCtx = { ...base, engine, dataset, authorization, args, log };
    const httpFloor = await runHttpLoad({
      url: engine.origin,
      method: 'GET',
      paths: ['/healthz'],
      headers: {},
      connections: args.readConnections,
      durationSec: args.durationSec,
      warmupSec: args.warmupSec,
    });
    log(`${kind}: HTTP floor GET /healthz ${httpFloor.rate} req/s p50 ${httpFloor.p50} ms p99 ${httpFloor.p99} ms`);
    for (const w of args.workloads) {
      if (w === 'w1') results.push(await runW1(ctx));
      if (w === 'w2') results.push(...(await runW2(ctx)));
      if (w === 'w3') results.push(...(await runW3(ctx)));
      if (w === 'w7') results.push(...(await runW7(ctx)));
      if (w === 'email') results.push(await runEmail(ctx));
    }
    const { activeConversationIds: _a, sampleConversationIds: _s, channelIds: _c, agentIds: _g, ...summary } = dataset;
    return { engine: kind, version: engine.version, durability: engine.durability, httpFloor, dataset: summary };
  } finally {
    process.off('SIGINT', interrupt);
    await engine.close();
  }
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  const started = new Date();
  const t0 = performance.now();
  const base = { machine: machineInfo(), commit: commitId() };
  log(`nproc ${base.machine.nproc}, ${base.machine.cpu}, ${base.machine.memGiB} GiB, node ${base.machine.node}, commit ${base.commit}`);
  log(
    `scale ${args.scale}, duration ${args.durationSec} s (+${args.warmupSec} s warm-up), workloads ${args.workloads.join(',')}, engines ${args.engines.join(',')}`,
  );

  const results: WorkloadResult[] = [];
  const engines: EngineRun[] = [];
  for (const kind of args.engines) engines.push(await runEngine(kind, args, base, results));

  const seconds = Math.round((performance.now() - t0) / 100) / 10;
  console.log(`\n${formatTable(results)}\n`);
  for (const e of engines)
    console.log(`HTTP floor (${e.engine}): GET /healthz ${e.httpFloor.rate} req/s, p50 ${e.httpFloor.p50} ms, p99 ${e.httpFloor.p99} ms`);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
  const report = { startedAt: started.toISOString(), seconds, args, ...base, engines, results, pgliteVsNative: pgliteVsNative(results) };
  fs.writeFileSync(file, JSON.stringify(report, null, 2));
  log(`wrote ${path.relative(process.cwd(), file)} (total ${seconds} s)`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
