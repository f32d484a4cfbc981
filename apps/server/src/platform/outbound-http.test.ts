import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlockedDestinationError, isPublicAddress, postOutbound } from './outbound-http';

let server: Server;
let port = 0;
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const opts = (allowPrivate: boolean) => ({ allowPrivate, headers: { 'content-type': 'application/json' }, timeoutMs: 2_000 });

describe('outbound HTTP to administrator-configured URLs', () => {
  it('tells public unicast addresses from loopback, private, link-local, CGNAT and reserved ones', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '224.0.0.1',
      'not-an-ip',
    ])
      expect(isPublicAddress(a), a).toBe(false);
    for (const a of ['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(isPublicAddress(a), a).toBe(true);
  });

  it('refuses a loopback destination, by literal address or by name, before connecting', async () => {
    const before = hits;
    await expect(postOutbound(`http://127.0.0.1:${port}/hook`, '{}', opts(false))).rejects.toBeInstanceOf(BlockedDestinationError);
    await expect(postOutbound(`http://[::1]:${port}/hook`, '{}', opts(false))).rejects.toBeInstanceOf(BlockedDestinationError);
    await expect(postOutbound(`http://localhost:${port}/hook`, '{}', opts(false))).rejects.toThrow(/private or reserved address/);
    expect(hits).toBe(before);
  });

  it('calls it when private destinations are allowed, and answers the status', async () => {
    const before = hits;
    await expect(postOutbound(`http://localhost:${port}/hook`, '{"a":1}', opts(true))).resolves.toEqual({ status: 200 });
    expect(hits).toBe(before + 1);
    await expect(postOutbound(`ftp://127.0.0.1:${port}/`, '{}', opts(true))).rejects.toThrow(/Unsupported scheme/);
  });
});
