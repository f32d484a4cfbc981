import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  url: string;
  body: string;
  headers: IncomingHttpHeaders;
}

export interface Answer {
  status: number;
  body?: string;
}

export interface Receiver {
  /** `http://127.0.0.1:<port>` */
  base: string;
  port: number;
  /** Requests received so far. */
  hits(): number;
  /** Every request, in order (cleared by tests that want a fresh list: `received.length = 0`). */
  received: Received[];
  /** What to answer next, consumed in order; when empty, `otherwise(n)` answers the n-th request. */
  answers: Answer[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1: the far end of outbound calls in tests (webhook receivers, providers). By default
 * it answers 200 `ok`; queue answers, or pass `otherwise`, to make it fail or return a provider's JSON.
 */
export async function startReceiver(otherwise: (n: number) => Answer = () => ({ status: 200, body: 'ok' })): Promise<Receiver> {
  const received: Received[] = [];
  const answers: Answer[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ url: req.url ?? '', body, headers: req.headers });
      const a = answers.shift() ?? otherwise(received.length);
      res.statusCode = a.status;
      if (a.body?.startsWith('{')) res.setHeader('content-type', 'application/json');
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    hits: () => received.length,
    received,
    answers,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * How a provider or an integration verifies a signed channel delivery (docs/channels.md), written independently of
 * the server's code: HMAC-SHA256 over "<timestamp>.<raw body>", within five minutes.
 */
export function verifyChannelDelivery(secret: string, call: { body: string; headers: IncomingHttpHeaders }): boolean {
  const ts = String(call.headers['x-touchpoint-timestamp']);
  if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${ts}.${call.body}`).digest('hex')}`);
  const got = Buffer.from(String(call.headers['x-touchpoint-signature'] ?? ''));
  return got.length === expected.length && timingSafeEqual(got, expected);
}
