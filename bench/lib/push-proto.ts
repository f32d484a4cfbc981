// W2's wire conventions, shared by the load children, the raw ws reference and the workload (pure functions).

/** `v`: a visitor's message (measured at every agent socket); `r`: an agent's reply (measured at the visitor's socket). */
export type Stream = 'v' | 'r';

export interface Marker {
  stream: Stream;
  seq: number;
  /** Scheduled send time, ms on the machine's monotonic clock (see monoMs). */
  tMs: number;
}

const PREFIX = 'w2|';
const FILLER = ' Hi, my order has not arrived yet and the tracking page has not changed for three days. Could you check what is going on?';

/**
 * Milliseconds on CLOCK_MONOTONIC: `process.hrtime` reads it on Linux and it is one clock for every process of the
 * machine, so a send time stamped in one process can be compared with a receive time in another.
 */
export function monoMs(): number {
  return Number(process.hrtime.bigint() / 1000n) / 1000;
}

/** A message body carrying its stream, sequence number and scheduled send time, padded to a chat-sized ~150 B. */
export function encodeBody(m: Marker): string {
  return `${PREFIX}${m.stream}|${m.seq}|${m.tMs.toFixed(3)}|${FILLER}`;
}

export function parseBody(body: unknown): Marker | null {
  if (typeof body !== 'string' || !body.startsWith(PREFIX)) return null;
  const [stream, seq, tMs] = body.slice(PREFIX.length).split('|', 3);
  if ((stream !== 'v' && stream !== 'r') || seq === undefined || tMs === undefined) return null;
  const n = Number(seq);
  const t = Number(tMs);
  return Number.isInteger(n) && n >= 0 && Number.isFinite(t) ? { stream, seq: n, tMs: t } : null;
}

const BODY_KEY = '"body":"';

/**
 * The marker inside a frame's serialised message body, found by string search rather than JSON.parse: at 10k+
 * frames/s a full parse of every ~1.5 KB frame would make the load process, not the server, the bottleneck. The
 * marker has no character JSON escapes, so the raw text is the body's text.
 */
function markerIn(raw: string): Marker | null {
  const at = raw.indexOf(BODY_KEY + PREFIX);
  if (at < 0) return null;
  const start = at + BODY_KEY.length;
  const end = raw.indexOf('"', start);
  return end < 0 ? null : parseBody(raw.slice(start, end));
}

/** The marker of an agent socket's frame: `{"type":"event",…,"event":{…"type":"message.created"…,"payload":{"message":{…"body"}}}}`. */
export function agentFrameMarker(raw: string): Marker | null {
  if (!raw.startsWith('{"type":"event"') || !raw.includes('"type":"message.created"')) return null;
  return markerIn(raw);
}

/** The marker of a visitor socket's frame: `{"type":"message","message":{…"body"}}`. */
export function visitorFrameMarker(raw: string): Marker | null {
  return raw.startsWith('{"type":"message"') ? markerIn(raw) : null;
}

/** Open-loop schedule: message `i` of a stream at `rate`/s is due at `startMs + i * 1000 / rate`. */
export function dueAt(startMs: number, rate: number, i: number): number {
  return startMs + (i * 1000) / rate;
}

/** How many messages of a stream are due by `nowMs` (at most `total`). */
export function dueCount(startMs: number, rate: number, nowMs: number, total: number): number {
  if (rate <= 0 || nowMs < startMs) return 0;
  return Math.min(total, Math.floor(((nowMs - startMs) * rate) / 1000) + 1);
}

/** Messages in the warm-up and in the measured window of a pass at `rate`/s. */
export function windowCounts(rate: number, warmupSec: number, durationSec: number): { warmup: number; measured: number } {
  return { warmup: Math.round(rate * warmupSec), measured: Math.round(rate * durationSec) };
}

/** Splits `items` into `parts` contiguous slices whose sizes differ by at most one. */
export function splitEvenly<T>(items: T[], parts: number): T[][] {
  const out: T[][] = [];
  let start = 0;
  for (let p = 0; p < parts; p++) {
    const size = Math.floor(items.length / parts) + (p < items.length % parts ? 1 : 0);
    out.push(items.slice(start, start + size));
    start += size;
  }
  return out;
}

/** The visitor a message goes to or comes from: spread over all of them, a different one than the previous. */
export function visitorFor(stream: Stream, seq: number, visitors: number): number {
  return stream === 'v' ? seq % visitors : (seq * 7 + 3) % visitors;
}
