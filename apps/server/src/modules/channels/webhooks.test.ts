import { describe, expect, it } from 'vitest';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signedHeaders, verifyChannelSignature } from './webhooks';

const secret = 'a'.repeat(64);
const body = '{"type":"message","id":"evt_1"}';
const now = Date.parse('2026-11-29T20:00:00Z');
const req = (headers: Record<string, string>) => ({ headers });

describe('signed channel webhooks', () => {
  it('accepts the signature of the exact bytes within five minutes', () => {
    const h = signedHeaders(secret, body, now);
    expect(h[TIMESTAMP_HEADER]).toBe(String(now / 1000));
    expect(h[SIGNATURE_HEADER]).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(() => verifyChannelSignature(secret, req(h), Buffer.from(body), now + 299_000)).not.toThrow();
  });

  it('refuses a wrong key, a changed body, a stale or future timestamp, and missing headers', () => {
    const h = signedHeaders(secret, body, now);
    expect(() => verifyChannelSignature('b'.repeat(64), req(h), Buffer.from(body), now)).toThrow(/signature does not match/);
    expect(() => verifyChannelSignature(secret, req(h), Buffer.from(body.replace('evt_1', 'evt_2')), now)).toThrow(/does not match/);
    expect(() => verifyChannelSignature(secret, req(h), Buffer.from(body), now + 301_000)).toThrow(/stale/);
    expect(() => verifyChannelSignature(secret, req(h), Buffer.from(body), now - 301_000)).toThrow(/stale/);
    // A replay with a fresh timestamp but the old signature does not verify: the timestamp is signed.
    const replay = { ...h, [TIMESTAMP_HEADER]: String(now / 1000 + 60) };
    expect(() => verifyChannelSignature(secret, req(replay), Buffer.from(body), now + 60_000)).toThrow(/does not match/);
    expect(() => verifyChannelSignature(secret, req({}), Buffer.from(body), now)).toThrow(/headers are required/);
    expect(() => verifyChannelSignature(secret, req({ ...h, [TIMESTAMP_HEADER]: 'yesterday' }), Buffer.from(body), now)).toThrow(
      /Unix time/,
    );
  });
});
