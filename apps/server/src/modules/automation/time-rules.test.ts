import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createAccount } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { withSystem } from '../../db/tenant';
import { createRuleVia, runsOf, startConversation } from './test-support';
import { nextSlot } from './time-rules';

const t = useTestApp({ isolated: true }); // the sweep reads every account's time rules
type H = Record<string, string>;

const setStatus = (h: H, id: string, status: string) =>
  t().app.inject({ method: 'POST', url: `/api/v1/conversations/${id}/status`, headers: h, payload: { status } });
const statusOf = async (h: H, id: string) => (await t().app.inject({ url: `/api/v1/conversations/${id}`, headers: h })).json().data.status;
/** Pretends the conversation last changed `hours` ago (instead of waiting). */
const age = (id: string, hours: number) =>
  withSystem(t().database.db, (tx) =>
    tx.execute(sql`update conversations set updated_at = now() - make_interval(hours => ${hours}) where id = ${id}`),
  );
/** Makes the scheduled sweep due now (instead of sleeping until its slot) and runs it. */
async function sweepNow() {
  const { rowCount } = await t().database.pool.query(
    `update pgboss.job set start_after = now() where name = 'automation-time-rules' and state in ('created', 'retry')`,
  );
  expect(rowCount).toBe(1);
  await t().settle();
}

describe('time rules', () => {
  it('slots are 5 minutes apart', () => {
    expect(nextSlot(new Date('2026-01-01T10:02:10Z')).toISOString()).toBe('2026-01-01T10:05:00.000Z');
    expect(nextSlot(new Date('2026-01-01T10:05:00Z')).toISOString()).toBe('2026-01-01T10:10:00.000Z');
  });

  it('resolve conversations pending for 48 hours, once per state, from a self-rescheduling sweep', async () => {
    const acc = await createAccount(t());
    const h = acc.owner.headers;
    const rule = await createRuleVia(t(), h, {
      name: 'Close stale pending',
      trigger: { schedule: 'pending_for', hours: 48 },
      conditions: [{ field: 'conversation.tags', op: 'not_contains', value: 'keep' }],
      actions: [
        { type: 'set_status', status: 'resolved' },
        { type: 'add_note', body: 'Closed after 48h without reply' },
      ],
    });
    expect(rule.trigger).toEqual({ schedule: 'pending_for', hours: 48, businessHours: false });
    const stale = (await startConversation(t(), h)).conversation.id;
    const fresh = (await startConversation(t(), h)).conversation.id;
    const kept = (await startConversation(t(), h, { tags: ['keep'] })).conversation.id;
    const open = (await startConversation(t(), h)).conversation.id;
    for (const id of [stale, fresh, kept]) expect((await setStatus(h, id, 'pending')).statusCode).toBe(200);
    await age(stale, 49);
    await age(kept, 49);
    await age(open, 100);
    await age(fresh, 47);

    await sweepNow();
    expect(await statusOf(h, stale)).toBe('resolved');
    expect(await statusOf(h, fresh)).toBe('pending');
    expect(await statusOf(h, kept)).toBe('pending');
    expect(await statusOf(h, open)).toBe('open');
    const runs = await runsOf(t(), h, rule.id);
    expect(runs.map((r) => r.outcome).sort()).toEqual(['matched', 'not_matched']);
    expect(runs.find((r) => r.outcome === 'matched')!.actions).toHaveLength(2);

    // The next sweep (rescheduled by the first) finds nothing new: the kept one already has its run.
    await sweepNow();
    expect(await runsOf(t(), h, rule.id)).toHaveLength(2);

    // Deactivated: the chain runs once more and stops rescheduling itself.
    await t().app.inject({ method: 'PATCH', url: `/api/v1/automation/rules/${rule.id}`, headers: h, payload: { active: false } });
    await age(fresh, 49);
    const { rowCount } = await t().database.pool.query(
      `update pgboss.job set start_after = now() where name = 'automation-time-rules' and state = 'created'`,
    );
    await t().settle();
    expect(await statusOf(h, fresh)).toBe('pending');
    expect(rowCount).toBe(1);
    const left = await t().database.pool.query(`select 1 from pgboss.job where name = 'automation-time-rules' and state = 'created'`);
    expect(left.rowCount).toBe(0);
  });

  it('acts once per stale period, however its own action touches the conversation; a new period acts again', async () => {
    // The previous test's slots may hold this 5-minute slot's dedupe key; start a fresh chain.
    await t().database.pool.query(`delete from pgboss.job where name = 'automation-time-rules'`);
    const acc = await createAccount(t());
    const h = acc.owner.headers;
    const rule = await createRuleVia(t(), h, {
      name: 'Nudge',
      trigger: { schedule: 'open_for', hours: 4 },
      actions: [{ type: 'add_note', body: 'Open for 4 hours' }],
    });
    const id = (await startConversation(t(), h)).conversation.id;
    const notes = async () =>
      (await t().database.pool.query(`select id from messages where conversation_id = $1 and kind = 'note'`, [id])).rows;
    await age(id, 5);
    await sweepNow();
    expect(await notes()).toHaveLength(1);
    // The note moved updatedAt; hours later the conversation is stale again, but it is the same period.
    await age(id, 5);
    await sweepNow();
    expect(await notes()).toHaveLength(1);
    expect(await runsOf(t(), h, rule.id)).toHaveLength(1);
    // The customer writes: a new period, which acts once it has been still for 4 hours.
    const reply = await t().app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${id}/messages`,
      headers: h,
      payload: { body: 'Still there?', kind: 'incoming' },
    });
    expect(reply.statusCode).toBe(201);
    await t().settle();
    await age(id, 5);
    await sweepNow();
    expect(await notes()).toHaveLength(2);
    expect(await runsOf(t(), h, rule.id)).toHaveLength(2);
  });
});
