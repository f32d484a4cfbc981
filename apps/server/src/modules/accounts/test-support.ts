// Helpers for the accounts module's tests (not imported by production code).
import { randomBytes, randomInt } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { events } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import { SESSION_COOKIE } from '../../platform/http/tokens';
import type { TestApp } from '../../../test/harness';

export const PASSWORD = 'correct horse battery staple';

export const uniqueEmail = (tag = 'person') => `${tag}-${randomBytes(4).toString('hex')}@example.test`;

/** A fresh client address per test, so the per-IP limit of the auth routes never couples tests. */
export const freshIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

export function sessionCookie(res: LightMyRequestResponse): { cookie: string } {
  const c = res.cookies.find((x) => x.name === SESSION_COOKIE);
  if (!c?.value) throw new Error(`no ${SESSION_COOKIE} cookie in the response (${res.statusCode} ${res.body})`);
  return { cookie: `${SESSION_COOKIE}=${c.value}` };
}

export async function signUpViaApi(t: TestApp, body: Partial<{ accountName: string; name: string; email: string; password: string }> = {}) {
  const payload = {
    accountName: `Shop ${randomBytes(3).toString('hex')}`,
    name: 'Olivia Owner',
    email: uniqueEmail('owner'),
    password: PASSWORD,
    ...body,
  };
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload, remoteAddress: freshIp() });
  return { res, payload, headers: res.statusCode === 201 ? sessionCookie(res) : { cookie: '' } };
}

export function login(t: TestApp, body: { email: string; password: string; account?: string }, remoteAddress = freshIp()) {
  return t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: body, remoteAddress });
}

export async function eventsOf(t: TestApp, accountId: string, type: string) {
  return withSystem(t.database.db, (tx) =>
    tx
      .select()
      .from(events)
      .where(and(eq(events.accountId, accountId), eq(events.type, type))),
  );
}
