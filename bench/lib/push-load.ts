import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { monoMs, splitEvenly, windowCounts } from './push-proto';
import { LatencyRecorder, round, type LoadSummary } from './stats';

export interface PushVisitor {
  token: string;
  conversationId: string;
}

/** What one load child is given: its agent sockets and, for child 0, the visitors and the POSTs to drive. */
export interface PushChildJob {
  origin: string;
  channelId: string;
  accountId: string;
  agents: { cookie: string }[];
  drive?: { visitors: PushVisitor[]; agentCookies: string[] };
}

export interface PushGo {
  /** Monotonic ms (push-proto monoMs) when the first message is due, the same in every child. */
  startMs: number;
  /** Visitor messages per second, and agent replies per second. */
  rate: number;
  replyRate: number;
  warmupSec: number;
  durationSec: number;
  /** Seconds to keep waiting for deliveries after the last message was due. */
  drainSec: number;
  /** Makes the clientMessageIds of this pass unique. */
  tag: string;
}

export interface PushChildResult {
  agents: number;
  agentLatency: string;
  visitorLatency: string | null;
  postLatency: { v: string; r: string } | null;
  postErrors: { v: number; r: number } | null;
  sampleError?: string;
  agentFrames: number;
  agentVisitorMsgs: number;
  agentReplies: number;
  agentOther: number;
  visitorFrames: number;
  maxSendLagMs: number;
  /** POSTs still unanswered a minute after the deadline. */
  unansweredPosts: number;
}

export interface PushPassOptions {
  origin: string;
  channelId: string;
  accountId: string;
  agentCookies: string[];
  visitors: PushVisitor[];
  clients: number;
  go: Omit<PushGo, 'startMs'>;
}

export interface PushPassResult {
  /** (a) visitor POST scheduled -> each agent socket: rate = deliveries/s over the measured window. */
  push: LoadSummary & { expected: number; lost: number };
  /** (b) agent reply POST scheduled -> the visitor's socket: rate = replies received/s. */
  reply: LoadSummary & { expected: number; lost: number };
  /** HTTP answer times of the POSTs (scheduled send -> response), visitor messages and replies. */
  postVisitor: LoadSummary;
  postReply: LoadSummary;
  /** Frames at the agent sockets per visitor message and agent (1 = only the message.created itself). */
  agentFramesPerMessage: number;
  maxSendLagMs: number;
  unansweredPosts: number;
}

const CHILD = fileURLToPath(new URL('./push-load-child.ts', import.meta.url));

function once<T>(child: ChildProcess, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`W2 load child exited with code ${code} before ${what}`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.once('message', (m: T) => {
      child.off('exit', onExit);
      resolve(m);
    });
  });
}

/**
 * One W2 pass against a server (ours or R2): `clients` child processes share the agent sockets, child 0 also holds
 * the visitor sockets and sends the POSTs open loop. Sockets connect and subscribe before the clock starts; the
 * latencies of every child are merged here. Send times and receive times are on the machine's monotonic clock.
 */
export async function runPushPass(opts: PushPassOptions): Promise<PushPassResult> {
  const parts = splitEvenly(
    opts.agentCookies.map((cookie) => ({ cookie })),
    opts.clients,
  );
  const children = parts.map(() => fork(CHILD, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  try {
    const ready = children.map((c) => once<{ kind: 'ready' }>(c, 'its sockets were ready'));
    children.forEach((c, i) => {
      const job: PushChildJob = {
        origin: opts.origin,
        channelId: opts.channelId,
        accountId: opts.accountId,
        agents: parts[i]!,
        ...(i === 0 ? { drive: { visitors: opts.visitors, agentCookies: opts.agentCookies } } : {}),
      };
      c.send({ kind: 'start', job });
    });
    await Promise.all(ready);
    const results = children.map((c) => once<PushChildResult>(c, 'reporting'));
    const go: PushGo = { ...opts.go, startMs: monoMs() + 300 };
    for (const c of children) c.send({ kind: 'go', go });
    return merge(await Promise.all(results), opts);
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill();
  }
}

function merge(results: PushChildResult[], opts: PushPassOptions): PushPassResult {
  const { rate, replyRate, warmupSec, durationSec } = opts.go;
  const agentLat = new LatencyRecorder();
  for (const r of results) agentLat.add(r.agentLatency);
  const driver = results[0]!;
  const visitorLat = new LatencyRecorder();
  const postV = new LatencyRecorder();
  const postR = new LatencyRecorder();
  visitorLat.add(driver.visitorLatency!);
  postV.add(driver.postLatency!.v);
  postR.add(driver.postLatency!.r);
  postV.errors = driver.postErrors!.v;
  postR.errors = driver.postErrors!.r;
  postV.sampleError = driver.sampleError;
  const measuredV = windowCounts(rate, warmupSec, durationSec).measured;
  const measuredR = windowCounts(replyRate, warmupSec, durationSec).measured;
  const expectedPush = measuredV * opts.agentCookies.length;
  const frames = results.reduce((s, r) => s + r.agentFrames, 0);
  const totalMsgs = windowCounts(rate, warmupSec + durationSec, 0).warmup + windowCounts(replyRate, warmupSec + durationSec, 0).warmup;
  return {
    push: { ...agentLat.summary(durationSec), expected: expectedPush, lost: expectedPush - agentLat.count },
    reply: { ...visitorLat.summary(durationSec), expected: measuredR, lost: measuredR - visitorLat.count },
    postVisitor: postV.summary(durationSec),
    postReply: postR.summary(durationSec),
    agentFramesPerMessage: totalMsgs > 0 ? round(frames / opts.agentCookies.length / totalMsgs, 2) : 0,
    maxSendLagMs: round(driver.maxSendLagMs),
    unansweredPosts: driver.unansweredPosts,
  };
}
