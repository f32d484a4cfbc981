import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events } from '../db/schema';
import { createAccount } from '../../test/factories';
import { useTestApp } from '../../test/harness';
import { emit, flushEvents, type NewEvent, type StoredEvent } from './events';
import { command, read } from './tx';

const t = useTestApp({ isolated: true }); // registers its own listeners and commit hooks on the runtime

/** Test events carry made-up payloads: the listeners here read only what the test put in. */
const ev = (type: string, payload: Record<string, unknown> = {}) => ({ type, payload }) as unknown as NewEvent;

async function listenerJobs(listener: string): Promise<{ state: string; data: { event?: { id: string } } }[]> {
  const { rows } = await t().database.pool.query(`select state, data from pgboss.job where name = 'listener' and data->>'listener' = $1`, [
    listener,
  ]);
  return rows;
}

describe('events: typed outbox, listener jobs written with the event', () => {
  it('publishes to commit hooks only after COMMIT, and stores the event with its actor, dispatched as written', async () => {
    const { owner } = await createAccount(t());
    t().events.on('test.audit', ['team.created'], async () => {});
    const published: StoredEvent[] = [];
    t().events.onCommit((list) => published.push(...list));
    const e = await command(owner.ctx, async (tx) => {
      const e = await emit(tx, owner.ctx, ev('team.created', { name: 'Billing' }));
      expect(published.find((p) => p.id === e.id)).toBeUndefined(); // not yet: still inside the transaction
      return e;
    });
    expect(published.find((p) => p.id === e.id)).toMatchObject({ type: 'team.created', actorKind: 'user', actorId: owner.userId });
    const [row] = await read(owner.ctx, (tx) => tx.select().from(events).where(eq(events.id, e.id)));
    expect(row).toMatchObject({ accountId: owner.accountId, type: 'team.created', payload: { name: 'Billing' } });
    expect(row!.dispatchedAt).toEqual(row!.createdAt);
    // The job was written in the same transaction, carrying the event.
    expect((await listenerJobs('test.audit')).filter((j) => j.data.event?.id === e.id)).toHaveLength(1);
  });

  it('a rolled-back command publishes nothing and leaves neither an event nor a job', async () => {
    const { owner } = await createAccount(t());
    t().events.on('test.rollback', ['team.deleted'], async () => {});
    const published: StoredEvent[] = [];
    t().events.onCommit((list) => published.push(...list));
    let id = '';
    await expect(
      command(owner.ctx, async (tx) => {
        id = (await emit(tx, owner.ctx, ev('team.deleted'))).id;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(published.find((p) => p.id === id)).toBeUndefined();
    expect(await read(owner.ctx, (tx) => tx.select().from(events).where(eq(events.id, id)))).toEqual([]);
    expect(await listenerJobs('test.rollback')).toEqual([]);
  });

  it('publishes after COMMIT also the events a command wrote early with flushEvents()', async () => {
    const { owner } = await createAccount(t());
    const published: StoredEvent[] = [];
    t().events.onCommit((list) => published.push(...list));
    const [early, late] = await command(owner.ctx, async (tx) => {
      const a = await emit(tx, owner.ctx, ev('team.updated', { n: 1 }));
      await flushEvents(tx);
      const [row] = await tx.select().from(events).where(eq(events.id, a.id));
      expect(row).toBeDefined(); // readable inside the transaction once flushed
      return [a, await emit(tx, owner.ctx, ev('team.updated', { n: 2 }))];
    });
    expect(published.map((p) => p.id)).toEqual(expect.arrayContaining([early.id, late.id]));
  });

  it('emit outside command() is refused (events must follow their transaction)', async () => {
    const { owner } = await createAccount(t());
    await expect(t().database.db.transaction((tx) => emit(tx, owner.ctx, ev('team.created')))).rejects.toThrow(/inside command/);
  });

  it('one job per interested listener, each runs once, with causation recorded and the event carried, not re-read', async () => {
    const { owner } = await createAccount(t());
    const calls: string[] = [];
    t().events.on('test.a', ['team.updated'], async (e) => void calls.push(`a:${e.id}:${e.createdAt instanceof Date}`));
    t().events.on('test.b', ['team.updated', 'team.created'], async (e, ctx) => {
      calls.push(`b:${e.id}:${(e.payload as unknown as { n: number }).n}`);
      expect(ctx.causation).toEqual({ eventId: e.id, depth: 0 });
      expect(ctx.actor.kind).toBe('system');
    });
    const e = await command(owner.ctx, (tx) => emit(tx, owner.ctx, ev('team.updated', { n: 7 })));
    // Nothing is read back from the outbox: the listeners still run after the row is gone.
    await t().database.pool.query('delete from events where id = $1', [e.id]);
    await t().settle();
    await t().settle(); // a second pass must not run anything again
    expect(calls.filter((c) => c.includes(e.id)).sort()).toEqual([`a:${e.id}:true`, `b:${e.id}:7`]);
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
    await command(owner.ctx, (tx) => emit(tx, owner.ctx, ev('user.role_changed')));
    await t().settle();
    expect({ good, bad }).toEqual({ good: 1, bad: 1 });
    await t().database.pool.query(`update pgboss.job set start_after = now() where name = 'listener' and state = 'retry'`);
    await t().settle();
    expect({ good, bad }).toEqual({ good: 1, bad: 2 });
  });

  it('creates no job for events a listener filters out with `when`', async () => {
    const { owner } = await createAccount(t());
    const ran: string[] = [];
    t().events.on('test.when', ['team.member_added'], async (e) => void ran.push(String((e.payload as unknown as { n: number }).n)), {
      when: (e) => (e.payload as unknown as { n: number }).n === 2,
    });
    await command(owner.ctx, async (tx) => {
      await emit(tx, owner.ctx, ev('team.member_added', { n: 1 }));
      await emit(tx, owner.ctx, ev('team.member_added', { n: 2 }));
    });
    await t().settle();
    expect(ran).toEqual(['2']);
    expect(await listenerJobs('test.when')).toHaveLength(1);
  });

  it('a SQL guard decides in the writing statement, seeing the transaction’s own writes', async () => {
    const { owner } = await createAccount(t());
    const ran: string[] = [];
    // Only for accounts with a team named like the payload says: a fact of the database, checked as the event is written.
    t().events.on('test.guard', ['team.member_removed'], async (e) => void ran.push(e.id), {
      guard: `exists (select 1 from teams x where x.account_id = e.account_id and x.name = e.payload->>'team')`,
    });
    const miss = await command(owner.ctx, (tx) => emit(tx, owner.ctx, ev('team.member_removed', { team: 'No such team' })));
    const hit = await command(owner.ctx, async (tx) => {
      await tx.execute(sql`insert into teams (account_id, name) values (${owner.accountId}, 'Guarded')`);
      return emit(tx, owner.ctx, ev('team.member_removed', { team: 'Guarded' }));
    });
    await t().settle();
    expect(ran).toEqual([hit.id]);
    const jobs = await listenerJobs('test.guard');
    expect(jobs.map((j) => j.data.event?.id)).toEqual([hit.id]);
    expect(jobs.map((j) => j.data.event?.id)).not.toContain(miss.id);
  });

  it('runs the jobs of a batch side by side: one slow listener does not hold up the others', async () => {
    const { owner } = await createAccount(t());
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    // The slow job waits for the fast one, which could never run if jobs ran one at a time.
    t().events.on('test.slow', ['api_key.revoked'], async () => {
      await gate;
      order.push('slow');
    });
    t().events.on('test.fast', ['api_key.revoked'], async () => {
      order.push('fast');
      release();
    });
    await command(owner.ctx, (tx) => emit(tx, owner.ctx, ev('api_key.revoked')));
    await t().settle();
    expect(order).toEqual(['fast', 'slow']);
  });

  it('writes the jobs of events left undispatched by an older version once, at start', async () => {
    const { owner } = await createAccount(t());
    const ran: string[] = [];
    t().events.on('test.legacy', ['api_key.created'], async (e) => void ran.push(e.id));
    const { rows } = await t().database.pool.query(
      `insert into events (account_id, type, actor_kind, payload) values ($1, 'api_key.created', 'system', '{}') returning id`,
      [owner.accountId],
    );
    expect(await t().events.sweepLegacyOutbox()).toBeGreaterThanOrEqual(1);
    expect(await t().events.sweepLegacyOutbox()).toBe(0);
    await t().settle();
    expect(ran).toEqual([rows[0].id]);
  });
});
