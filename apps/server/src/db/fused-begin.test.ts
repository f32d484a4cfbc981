import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createAccount } from '../../test/factories';
import { useTestApp } from '../../test/harness';
import { read } from '../platform/tx';
import { teams } from './schema';
import { withTenant } from './tenant';

const t = useTestApp();

/** Counts the messages each query call sends, by wrapping the client prototype under every per-connection wrapper. */
function countCalls(): { calls: string[]; stop(): void } {
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const original = proto.query;
  const calls: string[] = [];
  proto.query = function (this: unknown, first: unknown, ...rest: unknown[]) {
    calls.push(typeof first === 'string' ? first : String((first as { text?: unknown })?.text));
    return original.call(this, first, ...rest);
  };
  return { calls, stop: () => void (proto.query = original) };
}

describe('fused BEGIN', () => {
  it('sends BEGIN with the tenant binding in one round trip, and the transaction still isolates the tenant', async () => {
    const a = await createAccount(t());
    const b = await createAccount(t());
    const counter = countCalls();
    let rows: { accountId: string }[] = [];
    try {
      rows = await read(a.owner.ctx, (tx) => tx.select({ accountId: teams.accountId }).from(teams));
    } finally {
      counter.stop();
    }
    const ours = counter.calls.filter((c) => !c.includes('pgboss'));
    expect(ours[0]).toMatch(/^begin; select set_config\('role'/);
    expect(ours).toHaveLength(3); // begin + binding, the read, commit
    expect(rows.every((r) => r.accountId === a.accountId)).toBe(true);
    expect(rows.some((r) => r.accountId === b.accountId)).toBe(false);
  });

  it('rolls back a failed transaction as before (nothing it wrote is kept)', async () => {
    const a = await createAccount(t());
    await expect(
      withTenant(t().database.db, a.accountId, async (tx) => {
        await tx.insert(teams).values({ accountId: a.accountId, name: 'Rolled back' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const rows = await read(a.owner.ctx, (tx) => tx.select({ name: teams.name }).from(teams));
    expect(rows.map((r) => r.name)).not.toContain('Rolled back');
  });

  it('refuses an account id that is not a UUID before anything reaches SQL', async () => {
    await expect(withTenant(t().database.db, "x'); drop table teams; --", async () => 1)).rejects.toThrow(/not a UUID/);
  });
});
