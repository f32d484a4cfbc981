import WebSocket, { type ClientOptions } from 'ws';

/**
 * A real WebSocket client for tests that queues the JSON frames it receives: `next(match)` resolves with the first
 * frame (already received or still to come) matching the predicate, or fails after 5 s listing what did arrive;
 * `frames` holds those not consumed yet (to check that nothing else came). Resolves once the server said hello.
 */
export async function openFrameSocket<F extends { type: string }>(url: string, options?: ClientOptions) {
  const socket = new WebSocket(url, options);
  const frames: F[] = [];
  const waiters: { match: (f: F) => boolean; resolve: (f: F) => void }[] = [];
  socket.on('message', (raw) => {
    const frame = JSON.parse(raw.toString()) as F;
    const i = waiters.findIndex((w) => w.match(frame));
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(frame);
    else frames.push(frame);
  });
  const next = (match: (f: F) => boolean, what = 'a frame') =>
    new Promise<F>((resolve, reject) => {
      const i = frames.findIndex(match);
      if (i >= 0) return resolve(frames.splice(i, 1)[0]!);
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(frames)}`)), 5000);
      waiters.push({ match, resolve: (f) => (clearTimeout(timer), resolve(f)) });
    });
  await next((f) => f.type === 'hello', 'hello');
  return { socket, next, frames };
}
