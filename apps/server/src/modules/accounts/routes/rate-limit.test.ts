import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../../../test/harness';
import { login, PASSWORD, signUpViaApi, uniqueEmail } from '../test-support';
import { AUTH_RATE_LIMIT } from './auth';

// Its own app: the per-IP buckets of the auth routes are per app instance.
const t = useTestApp({ config: { COOKIE_SECURE: 'true' } });

describe('per-IP rate limit of the auth routes', () => {
  it('answers 429 problem+json after the limit, for that IP only', async () => {
    const ip = '203.0.113.7';
    for (let i = 0; i < AUTH_RATE_LIMIT.max; i++) {
      expect((await login(t(), { email: uniqueEmail(), password: 'wrong password' }, ip)).statusCode).toBe(401);
    }
    const limited = await login(t(), { email: uniqueEmail(), password: 'wrong password' }, ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.json().code).toBe('rate_limited');
    expect(limited.headers['retry-after']).toBeDefined();

    expect((await login(t(), { email: uniqueEmail(), password: 'wrong password' }, '203.0.113.8')).statusCode).toBe(401);
  });
});

describe('COOKIE_SECURE=true', () => {
  it('marks the session cookie Secure', async () => {
    const { payload, res } = await signUpViaApi(t());
    expect(res.cookies.find((c) => c.name === 'tp_session')!.secure).toBe(true);
    const again = await login(t(), { email: payload.email, password: PASSWORD });
    expect(again.cookies.find((c) => c.name === 'tp_session')).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
  });
});
