import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadSummary } from './stats';

export interface HttpJob {
  /** Origin of the server under test, e.g. http://127.0.0.1:41234 */
  url: string;
  method: 'GET' | 'POST';
  /** Rotated one per request, so caches and hot rows do not flatter the result. */
  paths: string[];
  headers: Record<string, string>;
  connections: number;
  durationSec: number;
  warmupSec: number;
  /** JSON message bodies: texts and kinds rotate, clientMessageId is unique per request. */
  post?: { texts: string[]; kinds: string[]; idPrefix: string };
}

const CHILD = fileURLToPath(new URL('./http-load-child.ts', import.meta.url));

/** Runs one autocannon pass (warm-up, then measured) in a child process and returns its summary. */
export function runHttpLoad(job: HttpJob): Promise<LoadSummary> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let done = false;
    child.once('message', (summary: LoadSummary) => {
      done = true;
      resolve(summary);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!done) reject(new Error(`autocannon child exited with code ${code}`));
    });
    child.send(job);
  });
}
