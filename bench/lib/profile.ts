import fs from 'node:fs';
import { Session } from 'node:inspector/promises';

/**
 * `--profile`: a CPU profile of the bench process (where the server runs; the load generator is a child process and
 * the references are idle) taken only while our passes run, written as `<file>.cpuprofile`. Summarise it with
 * `node --import tsx bench/profile-summary.ts <file>`.
 */
export async function profiled<T>(file: string | null, fn: () => Promise<T>): Promise<T> {
  if (!file) return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}
