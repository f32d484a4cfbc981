import { LatencyRecorder, type LoadSummary } from './stats';

export interface SqlLoadOptions {
  /** Concurrent callers (the counterpart of autocannon's connections). */
  workers: number;
  durationSec: number;
  warmupSec: number;
  /** One operation; `i` is a global sequence number for rotating ids. */
  task: (i: number) => Promise<void>;
}

/**
 * The raw reference: `workers` closed loops calling `task` as fast as the pool allows, timed per call with
 * the same histogram as the HTTP side. A warm-up pass first, discarded.
 */
export async function runSqlLoad(opts: SqlLoadOptions): Promise<LoadSummary> {
  let seq = 0;
  const pass = async (seconds: number, recorder: LatencyRecorder | null) => {
    const deadline = performance.now() + seconds * 1000;
    const loop = async () => {
      while (performance.now() < deadline) {
        const start = performance.now();
        try {
          await opts.task(seq++);
          recorder?.recordMs(performance.now() - start);
        } catch (err) {
          recorder?.error(err);
        }
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: opts.workers }, loop));
    return (performance.now() - started) / 1000;
  };
  if (opts.warmupSec > 0) await pass(opts.warmupSec, null);
  const recorder = new LatencyRecorder();
  const seconds = await pass(opts.durationSec, recorder);
  return recorder.summary(seconds);
}
