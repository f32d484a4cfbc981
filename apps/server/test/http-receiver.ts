import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Receiver {
  /** `http://127.0.0.1:<port>` */
  base: string;
  port: number;
  /** Requests received so far. */
  hits(): number;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that answers 200 to everything: the far end of outbound calls in tests. */
export async function startReceiver(): Promise<Receiver> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
