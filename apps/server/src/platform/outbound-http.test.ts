import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../test/http-receiver';
import { BlockedDestinationError, isPublicAddress, postOutbound } from './outbound-http';

let receiver: Receiver;
beforeAll(async () => void (receiver = await startReceiver()));
afterAll(() => receiver.close());

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
    const before = receiver.hits();
    await expect(postOutbound(`http://127.0.0.1:${receiver.port}/hook`, '{}', opts(false))).rejects.toBeInstanceOf(BlockedDestinationError);
    await expect(postOutbound(`http://[::1]:${receiver.port}/hook`, '{}', opts(false))).rejects.toBeInstanceOf(BlockedDestinationError);
    await expect(postOutbound(`http://localhost:${receiver.port}/hook`, '{}', opts(false))).rejects.toThrow(/private or reserved address/);
    expect(receiver.hits()).toBe(before);
  });

  it('calls it when private destinations are allowed, and answers the status and the body', async () => {
    const before = receiver.hits();
    await expect(postOutbound(`http://localhost:${receiver.port}/hook`, '{"a":1}', opts(true))).resolves.toEqual({
      status: 200,
      body: 'ok',
    });
    expect(receiver.hits()).toBe(before + 1);
    await expect(postOutbound(`ftp://127.0.0.1:${receiver.port}/`, '{}', opts(true))).rejects.toThrow(/Unsupported scheme/);
  });

  it('gives up after the whole timeout even when the receiver keeps trickling bytes (never silent long enough)', async () => {
    const trickler = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const tick = setInterval(() => res.write('.'), 50);
      res.on('close', () => clearInterval(tick));
    });
    await new Promise<void>((r) => trickler.listen(0, '127.0.0.1', r));
    const { port } = trickler.address() as AddressInfo;
    try {
      // A 300 ms socket timeout alone would never fire: there is never 300 ms of silence.
      await expect(postOutbound(`http://127.0.0.1:${port}/slow`, '{}', { ...opts(true), timeoutMs: 300 })).rejects.toThrow(/within 300 ms/);
    } finally {
      trickler.closeAllConnections();
      await new Promise((r) => trickler.close(r));
    }
  });
});
