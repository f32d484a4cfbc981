import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events } from '../db/schema';
import { createAccount } from '../../test/factories';
import { useTestApp } from '../../test/harness';
import { emit, type StoredEvent } from './events';
import { command, read } from './tx';

const t = useTestApp();

describe('events: transactional outbox', () => {
  it('publishes to commit hooks only after COMMIT, and stores the event with its actor', async () => {
    const { owner } = await createAccount(t());
    t().events.on('test.audit', ['team.created'], async () => {});
    const published: StoredEvent[] = [];
    t().events.onCommit((list) => published.push(...list));
    const ev = await command(owner.ctx, async (tx) => {
      const e = await emit(tx, owner.ctx, { type: 'team.created', payload: { name: 'Billing' } });
      expect(published.find((p) => p.id === e.id)).toBeUndefined(); // not yet: still inside the transaction
      return e;
    });
    expect(published.find((p) => p.id === ev.id)).toMatchObject({ type: 'team.created', actorKind: 'user', actorId: owner.userId });
    const [row] = await read(owner.ctx, (tx) => tx.select().from(events).where(eq(events.id, ev.id)));
    expect(row).toMatchObject({ accountId: owner.accountId, type: 'team.created', payload: { name: 'Billing' }, dispatchedAt: null });
  });

  it('a rolled-back command publishes nothing and leaves no outbox row', async () => {
    const { owner } = await createAccount(t());
    const published: StoredEvent[] = [];
    t().events.onCommit((list) => published.push(...list));
    let id = '';
    await expect(
      command(owner.ctx, async (tx) => {
        id = (await emit(tx, owner.ctx, { type: 'team.created' })).id;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(published.find((p) => p.id === id)).toBeUndefined();
    expect(await read(owner.ctx, (tx) => tx.select().from(events).where(eq(events.id, id)))).toEqual([]);
  });

  it('emit outside command() is refused (events must follow their transaction)', async () => {
    const { owner } = await createAccount(t());
    await expect(t().database.db.transaction((tx) => emit(tx, owner.ctx, { type: 'team.created' }))).rejects.toThrow(/inside command/);
  });

  it('dispatches one job per interested listener, each listener runs once, with causation recorded', async () => {
    const { owner } = await createAccount(t());
    const calls: string[] = [];
    t().events.on('test.a', ['team.updated'], async (e) => void calls.push(`a:${e.id}`));
    t().events.on('test.b', ['team.updated', 'team.created'], async (e, ctx) => {
      calls.push(`b:${e.id}`);
      expect(ctx.causation).toEqual({ eventId: e.id, depth: 0 });
      expect(ctx.actor.kind).toBe('system');
    });
    const ev = await command(owner.ctx, (tx) => emit(tx, owner.ctx, { type: 'team.updated' }));
    await t().settle();
    await t().settle(); // a second pass must not run anything again
    expect(calls.filter((c) => c.endsWith(ev.id)).sort()).toEqual([`a:${ev.id}`, `b:${ev.id}`]);
    const [row] = await read(owner.ctx, (tx) => tx.select().from(events).where(eq(events.id, ev.id)));
    expect(row!.dispatchedAt).toBeInstanceOf(Date);
  });

  it('a failing listener retries alone without re-running the others', async () => {
    const { owner } = await createAccount(t());
    let good = 0;
    let bad = 0;
    t().events.on('test.good', ['user.role_changed'], async () => void good++);
    t().events.on('test.bad', ['user.role_changed'], async () => {
      bad++;
      if (bad === 1) throw new Error('transient');
    });
    await command(owner.ctx, (tx) => emit(tx, owner.ctx, { type: 'user.role_changed' }));
    await t().settle();
    expect({ good, bad }).toEqual({ good: 1, bad: 1 });
    await t().database.pool.query(`update pgboss.job set start_after = now() where name = 'listener' and state = 'retry'`);
    await t().settle();
    expect({ good, bad }).toEqual({ good: 1, bad: 2 });
  });

  it('creates no job at all for events a listener filters out with `when`', async () => {
    const { owner } = await createAccount(t());
    const ran: string[] = [];
    t().events.on('test.when', ['team.member_added'], async (e) => void ran.push(String(e.payload.n)), { when: (e) => e.payload.n === 2 });
    await command(owner.ctx, async (tx) => {
      await emit(tx, owner.ctx, { type: 'team.member_added', payload: { n: 1 } });
      await emit(tx, owner.ctx, { type: 'team.member_added', payload: { n: 2 } });
    });
    await t().settle();
    expect(ran).toEqual(['2']);
    const { rows } = await t().database.pool.query(
      `select count(*)::int as n from pgboss.job where name = 'listener' and data->>'listener' = 'test.when'`,
    );
    expect(rows[0].n).toBe(1);
  });

  it('stores an event no listener wants as already dispatched, so the dispatcher never touches it', async () => {
    const { owner } = await createAccount(t());
    const ev = await command(owner.ctx, (tx) => emit(tx, owner.ctx, { type: 'api_key.created' }));
    const [row] = await read(owner.ctx, (tx) => tx.select().from(events).where(eq(events.id, ev.id)));
    expect(row!.dispatchedAt).toEqual(row!.createdAt);
    expect(await t().events.dispatchPending()).toBe(0);
  });
});
