import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { customers } from '../db/schema';
import { withTenant } from '../db/tenant';
import { createAccount } from '../../test/factories';
import { useTestApp } from '../../test/harness';

const t = useTestApp();

describe('tenant isolation (row-level security)', () => {
  it('a query without an account filter still sees only its own tenant', async () => {
    const a = await createAccount(t());
    const b = await createAccount(t());
    await withTenant(t().database.db, a.accountId, (tx) => tx.insert(customers).values({ accountId: a.accountId, name: 'Alice of A' }));
    await withTenant(t().database.db, b.accountId, (tx) => tx.insert(customers).values({ accountId: b.accountId, name: 'Bob of B' }));
    const seenByA = await withTenant(t().database.db, a.accountId, (tx) => tx.select({ name: customers.name }).from(customers));
    expect(seenByA.map((r) => r.name)).toEqual(['Alice of A']);
    const raw = await withTenant(t().database.db, b.accountId, (tx) => tx.execute(sql`select name from customers`));
    expect(raw.rows.map((r) => r.name)).toEqual(['Bob of B']);
  });

  it('refuses to write a row into another tenant', async () => {
    const a = await createAccount(t());
    const b = await createAccount(t());
    const err = await withTenant(t().database.db, a.accountId, (tx) =>
      tx.insert(customers).values({ accountId: b.accountId, name: 'smuggled' }),
    ).catch((e: Error) => e);
    expect(String((err as Error & { cause?: Error }).cause?.message)).toMatch(/row-level security/);
  });
});

describe('health', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await t().app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t().app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ready',
      jobs: { ran: expect.any(Number), failed: expect.any(Number) },
      events: { errors: { commitHook: 0 } },
    });
  });

  it('serves the OpenAPI 3.1 document', async () => {
    const res = await t().app.inject({ url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().openapi).toBe('3.1.0');
  });

  it('gives every response a request id, keeping the one the caller sent', async () => {
    const own = await t().app.inject({ url: '/healthz', headers: { 'x-request-id': 'trace-123' } });
    expect(own.headers['x-request-id']).toBe('trace-123');
    const generated = await t().app.inject({ url: '/api/v1/nope' });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.json().requestId).toBe(generated.headers['x-request-id']);
  });

  it('answers unknown API routes with problem+json', async () => {
    const res = await t().app.inject({ url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('not_found');
  });
});
