// Start time of the server on an existing PGlite data directory: spawn -> first `GET /healthz` 200, from TypeScript
// source through tsx (`npm run dev`, the CLI) and from the esbuild bundle (`npm start`). `npm run bench:start -- [runs]`.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, round } from './lib/stats';

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const runs = Number(process.argv[2] ?? 5);

const MODES: Record<string, string[]> = {
  'tsx (source)': ['--import', 'tsx', 'apps/server/src/main.ts', 'serve'],
  'compiled (dist/main.js)': ['apps/server/dist/main.js', 'serve'],
  // What `npm start` runs: the PGlite worker prestarted while the modules load.
  'compiled (dist/start.js)': ['apps/server/dist/start.js', 'serve'],
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Milliseconds from spawn to the first 200 on /healthz; then SIGTERM and wait for the exit (the data dir lock). */
async function startOnce(args: string[], dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: repo,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SEED_DEMO: 'off' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return performance.now() - started;
      if (performance.now() - started > 60_000) throw new Error('no /healthz within 60 s');
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function main(): Promise<void> {
  console.error('[start] building apps/server/dist/main.js');
  execFileSync(process.execPath, ['apps/server/scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-start-'));
  try {
    // The first start creates and migrates the data directory; only starts on an existing one are measured.
    console.error(`[start] first start (creates ${dataDir}): ${round(await startOnce(MODES['compiled (dist/main.js)']!, dataDir))} ms`);
    const result: Record<string, { runs: number[]; median: number }> = {};
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(MODES).map((m) => [m, []]));
    // Interleaved, so machine load drifts over both modes alike.
    for (let i = 0; i < runs; i++)
      for (const [mode, args] of Object.entries(MODES)) {
        const ms = round(await startOnce(args, dataDir));
        samples[mode]!.push(ms);
        console.error(`[start] ${mode} run ${i + 1}: ${ms} ms`);
      }
    for (const [mode, ms] of Object.entries(samples)) result[mode] = { runs: ms, median: round(median(ms)) };
    console.log(JSON.stringify({ workload: 'start', loadavg: os.loadavg().map((l) => round(l)), result }));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
