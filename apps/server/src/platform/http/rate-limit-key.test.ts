import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAccount, createApiKeyHeaders } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';

const LIMIT = 6;
// Its own app: the buckets are per app instance.
const t = useTestApp({ config: { RATE_LIMIT_PER_MINUTE: String(LIMIT) } });

const madeUpKey = () => `Bearer tp_${randomBytes(6).toString('hex')}_${randomBytes(24).toString('hex')}`;

describe('the rate limiter keys on verified credentials, else the client address', () => {
  it('requests with random Authorization headers share their address’s bucket; a verified key has its own', async () => {
    const ip = '198.51.100.23';
    const acc = await createAccount(t());
    const key = await createApiKeyHeaders(t(), acc.accountId, 'agent');
    const statuses: number[] = [];
    for (let i = 0; i <= LIMIT; i++) {
      const res = await t().app.inject({ url: '/api/v1/me', headers: { authorization: madeUpKey() }, remoteAddress: ip });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(401), 429]);
    const anonymous = await t().app.inject({ url: '/api/v1/me', remoteAddress: ip });
    expect(anonymous.statusCode).toBe(429);
    expect(anonymous.json().code).toBe('rate_limited');

    // The verified key is not counted against the address, nor the address against it.
    const withKey = await t().app.inject({ url: '/api/v1/me', headers: key, remoteAddress: ip });
    expect(withKey.statusCode).toBe(200);
    for (let i = 1; i < LIMIT; i++) await t().app.inject({ url: '/api/v1/me', headers: key, remoteAddress: `198.51.100.${100 + i}` });
    expect((await t().app.inject({ url: '/api/v1/me', headers: key, remoteAddress: '198.51.100.200' })).statusCode).toBe(429);
  });
});
