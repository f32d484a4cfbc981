import { count } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { accounts } from '../../../db/schema';
import { withSystem } from '../../../db/tenant';
import { useTestApp } from '../../../../test/harness';
import { signUpViaApi } from '../test-support';

const t = useTestApp({ config: { SIGNUP: 'off' } });

const accountCount = () => withSystem(t().database.db, async (tx) => (await tx.select({ n: count() }).from(accounts))[0]!.n);

describe('SIGNUP=off', () => {
  it('refuses sign-up with 403 signup_disabled and a readable detail, whatever the body, creating nothing', async () => {
    const before = await accountCount();
    const { res } = await signUpViaApi(t());
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'signup_disabled', detail: expect.stringContaining('invitation') });
    expect(res.cookies).toEqual([]);
    const garbage = await t().app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: { nope: 1 } });
    expect(garbage.json().code).toBe('signup_disabled');
    expect(await accountCount()).toBe(before);
  });

  it('says so in GET /auth/options, without credentials', async () => {
    const res = await t().app.inject({ url: '/api/v1/auth/options' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ data: { signup: false } });
  });
});
