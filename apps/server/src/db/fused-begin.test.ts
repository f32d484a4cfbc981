import { eq } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createAccount } from '../../test/factories';
import { useTestApp } from '../../test/harness';
import { emit } from '../platform/events';
import { command, read } from '../platform/tx';
import { events, teams } from './schema';
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

  it('writes the events with the COMMIT, whatever their text, and a failing write rolls the whole command back', async () => {
    const a = await createAccount(t());
    const tricky = "$tp$ $1::json $2::json ' '' \\ \u00e9 $$";
    const counter = countCalls();
    let e: { id: string };
    try {
      e = await command(a.owner.ctx, async (tx) => {
        await tx.insert(teams).values({ accountId: a.accountId, name: 'Kept' });
        return emit(tx, a.owner.ctx, { type: 'team.created', payload: { team: { name: tricky } } } as never);
      });
    } finally {
      counter.stop();
    }
    const ours = counter.calls.filter((c) => !c.includes('pgboss'));
    expect(ours.at(-1)).toMatch(/^with ev as \(insert into events[\s\S]*;\ncommit$|^insert into events[\s\S]*;\ncommit$/);
    const [row] = await read(a.owner.ctx, (tx) => tx.select().from(events).where(eq(events.id, e.id)));
    expect((row!.payload as { team: { name: string } }).team.name).toBe(tricky);

    // jsonb refuses \u0000: the closing write fails at COMMIT, and the team written before it is gone too.
    await expect(
      command(a.owner.ctx, async (tx) => {
        await tx.insert(teams).values({ accountId: a.accountId, name: 'Rolled back at commit' });
        await emit(tx, a.owner.ctx, { type: 'team.created', payload: { team: { name: 'bad \u0000' } } } as never);
      }),
    ).rejects.toThrow();
    const names = (await read(a.owner.ctx, (tx) => tx.select({ name: teams.name }).from(teams))).map((r) => r.name);
    expect(names).toContain('Kept');
    expect(names).not.toContain('Rolled back at commit');
  });

  it('refuses an account id that is not a UUID before anything reaches SQL', async () => {
    await expect(withTenant(t().database.db, "x'); drop table teams; --", async () => 1)).rejects.toThrow(/not a UUID/);
  });
});
