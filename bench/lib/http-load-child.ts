// Runs autocannon in its own process, so the load generator never shares the server's event loop.
import autocannon from 'autocannon';
import { LatencyRecorder, type LoadSummary } from './stats';
import type { HttpJob } from './http-load';

function requestsOf(job: HttpJob, counter: { n: number }): autocannon.Request[] {
  return [
    {
      method: job.method,
      headers: { ...job.headers, ...(job.post ? { 'content-type': 'application/json' } : {}) },
      setupRequest: (req) => {
        const i = counter.n++;
        const path = job.paths[i % job.paths.length]!;
        if (!job.post) return { ...req, path };
        const { texts, kinds, idPrefix } = job.post;
        const body = JSON.stringify({ body: texts[i % texts.length], kind: kinds[i % kinds.length], clientMessageId: `${idPrefix}-${i}` });
        return { ...req, path, body };
      },
    },
  ];
}

function pass(job: HttpJob, seconds: number, recorder: LatencyRecorder | null, counter: { n: number }): Promise<number> {
  return new Promise((resolve, reject) => {
    const requests = requestsOf(job, counter);
    requests[0]!.onResponse = (status, body) => {
      if (status >= 300) recorder?.error(`${status} ${body}`);
    };
    const started = performance.now();
    const instance = autocannon({ url: job.url, connections: job.connections, duration: seconds, timeout: 30, requests }, (err, result) => {
      if (err) return reject(err);
      if (recorder) for (let i = 0; i < result.errors; i++) recorder.error(`connection error or timeout (${result.timeouts} timeouts)`);
      resolve((performance.now() - started) / 1000);
    });
    instance.on('response', (_client, statusCode, _bytes, ms) => {
      if (statusCode < 300) recorder?.recordMs(ms);
    });
  });
}

process.once('message', async (job: HttpJob) => {
  const counter = { n: 0 };
  if (job.warmupSec > 0) await pass(job, job.warmupSec, null, counter);
  const recorder = new LatencyRecorder();
  const seconds = await pass(job, job.durationSec, recorder, counter);
  const summary: LoadSummary = recorder.summary(seconds);
  process.send!(summary, () => process.exit(0));
});
