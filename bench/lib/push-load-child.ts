// One W2 load process: agent WebSockets (subscribed like the web app's inbox), and in the driving child also the
// visitors' sockets and the open-loop POSTs. Runs unchanged against ours and against the raw ws reference.
import http from 'node:http';
import WebSocket from 'ws';
import {
  agentFrameMarker,
  dueAt,
  dueCount,
  encodeBody,
  monoMs,
  visitorFor,
  visitorFrameMarker,
  windowCounts,
  type Stream,
} from './push-proto';
import type { PushChildJob, PushChildResult, PushGo } from './push-load';
import { LatencyRecorder } from './stats';

const CONNECT_BATCH = 50;

type Handshake = (ws: WebSocket, frame: { type?: string; topic?: string }) => boolean;

/** Opens a socket and resolves once `handshake` says it is live; every later frame goes to `onFrame`. */
function open(url: string, headers: Record<string, string>, onFrame: (raw: string, now: number) => void, handshake: Handshake) {
  return new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    const timer = setTimeout(() => reject(new Error(`no answer from ${url.replace(/token=[^&]+/, 'token=…')}`)), 30_000);
    let live = false;
    ws.on('message', (data) => {
      const now = monoMs();
      const raw = String(data);
      if (live) return onFrame(raw, now);
      try {
        live = handshake(ws, JSON.parse(raw) as { type?: string });
      } catch (err) {
        clearTimeout(timer);
        return reject(err as Error);
      }
      if (live) {
        clearTimeout(timer);
        resolve(ws);
      }
    });
    ws.on('error', (err) => (clearTimeout(timer), reject(err)));
  });
}

async function inBatches<T>(items: T[], fn: (item: T) => Promise<WebSocket>): Promise<WebSocket[]> {
  const out: WebSocket[] = [];
  for (let i = 0; i < items.length; i += CONNECT_BATCH) out.push(...(await Promise.all(items.slice(i, i + CONNECT_BATCH).map(fn))));
  return out;
}

let job: PushChildJob;
let go: PushGo | null = null;
let win = { warmup: 0, measured: 0 };
let winR = { warmup: 0, measured: 0 };
const agentLat = new LatencyRecorder();
const visitorLat = new LatencyRecorder();
const postLat = { v: new LatencyRecorder(), r: new LatencyRecorder() };
const counts = { agentFrames: 0, agentVisitorMsgs: 0, agentReplies: 0, agentOther: 0, visitorFrames: 0, maxSendLagMs: 0 };
let sockets: WebSocket[] = [];
let finish: (() => void) | null = null;

const inWindow = (seq: number, w: { warmup: number; measured: number }) => seq >= w.warmup && seq < w.warmup + w.measured;

function onAgentFrame(raw: string, now: number): void {
  counts.agentFrames++;
  const m = agentFrameMarker(raw);
  if (!m) return void counts.agentOther++;
  if (m.stream === 'r') return void counts.agentReplies++;
  if (!go || !inWindow(m.seq, win)) return;
  counts.agentVisitorMsgs++;
  agentLat.recordMs(now - m.tMs);
  checkDone();
}

function onVisitorFrame(raw: string, now: number): void {
  counts.visitorFrames++;
  const m = visitorFrameMarker(raw);
  if (!m || m.stream !== 'r' || !go || !inWindow(m.seq, winR)) return;
  visitorLat.recordMs(now - m.tMs);
  checkDone();
}

let postsPending = 0;
let scheduleDone = false;

function checkDone(): void {
  const agentsDone = counts.agentVisitorMsgs >= win.measured * job.agents.length;
  const visitorsDone = !job.drive || (visitorLat.count >= winR.measured && scheduleDone && postsPending === 0);
  if (agentsDone && visitorsDone) finish?.();
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post(path: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${job.origin}${path}`,
      { method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function send(stream: Stream, seq: number, tMs: number): void {
  const drive = job.drive!;
  const v = drive.visitors[visitorFor(stream, seq, drive.visitors.length)]!;
  const body = encodeBody({ stream, seq, tMs });
  const clientMessageId = `${go!.tag}-${stream}${seq}`;
  const request =
    stream === 'v'
      ? post(`/api/v1/widget/${job.channelId}/messages`, { authorization: `Bearer ${v.token}` }, JSON.stringify({ body, clientMessageId }))
      : post(
          `/api/v1/conversations/${v.conversationId}/messages`,
          { cookie: drive.agentCookies[seq % drive.agentCookies.length]! },
          JSON.stringify({ body, kind: 'outgoing', clientMessageId }),
        );
  const measured = inWindow(seq, stream === 'v' ? win : winR);
  postsPending++;
  request
    .then(
      (res) => {
        if (res.status !== 201) postLat[stream].error(`${res.status} ${res.text}`);
        else if (measured) postLat[stream].recordMs(monoMs() - tMs);
      },
      (err: unknown) => postLat[stream].error(err),
    )
    .finally(() => {
      postsPending--;
      checkDone();
    });
}

function drive(g: PushGo): void {
  const totalV = win.warmup + win.measured;
  const totalR = winR.warmup + winR.measured;
  let sentV = 0;
  let sentR = 0;
  const tick = () => {
    const now = monoMs();
    for (const n = dueCount(g.startMs, g.rate, now, totalV); sentV < n; sentV++) {
      counts.maxSendLagMs = Math.max(counts.maxSendLagMs, now - dueAt(g.startMs, g.rate, sentV));
      send('v', sentV, dueAt(g.startMs, g.rate, sentV));
    }
    for (const n = dueCount(g.startMs, g.replyRate, now, totalR); sentR < n; sentR++)
      send('r', sentR, dueAt(g.startMs, g.replyRate, sentR));
    if (sentV < totalV || sentR < totalR) {
      const next = Math.min(
        sentV < totalV ? dueAt(g.startMs, g.rate, sentV) : Infinity,
        sentR < totalR ? dueAt(g.startMs, g.replyRate, sentR) : Infinity,
      );
      setTimeout(tick, Math.max(0, next - monoMs()));
    } else {
      scheduleDone = true;
      checkDone();
    }
  };
  setTimeout(tick, Math.max(0, g.startMs - monoMs()));
}

process.on('message', async (msg: { kind: 'start'; job: PushChildJob } | { kind: 'go'; go: PushGo }) => {
  if (msg.kind === 'start') {
    job = msg.job;
    const wsOrigin = job.origin.replace(/^http/, 'ws');
    const topic = `account:${job.accountId}`;
    // As the web app's inbox: one socket per agent, `subscribe account:<id>` after hello, live once subscribed.
    const subscribe: Handshake = (ws, f) => {
      if (f.type === 'hello') ws.send(JSON.stringify({ type: 'subscribe', topic }));
      if (f.type === 'error') throw new Error(`subscribing ${topic} refused: ${JSON.stringify(f)}`);
      return f.type === 'subscribed';
    };
    sockets = await inBatches(job.agents, (a) => open(`${wsOrigin}/api/v1/realtime`, { cookie: a.cookie }, onAgentFrame, subscribe));
    if (job.drive) {
      const url = (token: string) => `${wsOrigin}/api/v1/widget/${job.channelId}/ws?token=${encodeURIComponent(token)}`;
      const hello: Handshake = (_ws, f) => f.type === 'hello';
      sockets.push(...(await inBatches(job.drive.visitors, (v) => open(url(v.token), {}, onVisitorFrame, hello))));
    }
    process.send!({ kind: 'ready' });
    return;
  }
  go = msg.go;
  win = windowCounts(go.rate, go.warmupSec, go.durationSec);
  winR = windowCounts(go.replyRate, go.warmupSec, go.durationSec);
  const deadline = go.startMs + (go.warmupSec + go.durationSec + go.drainSec) * 1000;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
    setTimeout(resolve, Math.max(0, deadline - monoMs()));
  });
  if (job.drive) drive(go);
  else checkDone();
  await done;
  // Deliveries count until the deadline (later ones are lost); POSTs until answered: wait (at most a minute) for
  // the last answer, which also keeps a backlog of ours from still being served while the next pass runs.
  const snapshot = { ...counts, agentLatency: agentLat.encode(), visitorLatency: job.drive ? visitorLat.encode() : null };
  for (let i = 0; i < 600 && postsPending > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  for (const s of sockets) s.terminate();
  const result: PushChildResult = {
    agents: job.agents.length,
    postLatency: job.drive ? { v: postLat.v.encode(), r: postLat.r.encode() } : null,
    postErrors: job.drive ? { v: postLat.v.errors, r: postLat.r.errors } : null,
    sampleError: postLat.v.sampleError ?? postLat.r.sampleError,
    ...snapshot,
    unansweredPosts: postsPending,
  };
  process.send!(result, () => process.exit(0));
});
