import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createAccount, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { withTenant } from '../../db/tenant';
import { fillFromSource } from './commands/merge-customers';
import type { CustomerRow } from './presenters';
import { countRows, seedConversation } from './test-support';

const t = useTestApp();
const api = '/api/v1/customers';

async function setup() {
  const acc = await createAccount(t());
  const agent = await createUser(t(), acc.accountId, 'agent');
  const supervisor = await createUser(t(), acc.accountId, 'supervisor');
  const create = async (payload: Record<string, unknown>) =>
    (await t().app.inject({ method: 'POST', url: api, headers: agent.headers, payload })).json().data;
  const merge = (targetId: string, sourceId: string, headers = supervisor.headers) =>
    t().app.inject({ method: 'POST', url: `${api}/${targetId}/merge`, headers, payload: { sourceId } });
  const get = async (id: string) => (await t().app.inject({ url: `${api}/${id}`, headers: agent.headers })).json().data;
  return { acc, agent, supervisor, create, merge, get };
}

describe('fillFromSource', () => {
  const base = {
    name: null,
    email: null,
    phone: null,
    externalId: null,
    avatarUrl: null,
    segment: null,
    language: null,
    timeZone: null,
    vip: false,
    lastSeenAt: null,
    attributes: {},
  };
  it('fills only empty fields and unions attributes with the target winning', () => {
    const target = { ...base, name: 'Target', attributes: { plan: 'gold' } } as unknown as CustomerRow;
    const source = {
      ...base,
      name: 'Source',
      email: 's@example.com',
      vip: true,
      attributes: { plan: 'free', seats: 3 },
    } as unknown as CustomerRow;
    const { set, taken } = fillFromSource(target, source);
    expect(set).toEqual({ email: 's@example.com', vip: true, attributes: { plan: 'gold', seats: 3 } });
    expect(taken).toEqual(['email', 'vip', 'attributes.seats']);
  });
});

describe('merging customers', () => {
  it('moves identities, conversations, messages and history into the target in one go', async () => {
    const { acc, agent, create, merge, get } = await setup();
    const target = await create({ name: 'Ann', email: 'ann@example.com', attributes: { plan: 'gold' } });
    const source = await create({
      name: 'Ann (chat)',
      phone: '+1 415 555 0100',
      segment: 'smb',
      attributes: { plan: 'free', city: 'Oslo' },
    });
    const conv = await seedConversation(t(), acc.accountId, acc.apiChannelId, source.id, {
      messages: [{ body: 'from source' }, { body: 'reply', kind: 'outgoing' }],
    });

    const res = await merge(target.id, source.id);
    expect(res.statusCode).toBe(200);
    const survivor = res.json().data;
    expect(survivor).toMatchObject({
      id: target.id,
      name: 'Ann',
      email: 'ann@example.com',
      phone: '+14155550100',
      segment: 'smb',
      attributes: { plan: 'gold', city: 'Oslo' },
      mergedIntoId: null,
    });
    expect(survivor.identities.map((i: { value: string }) => i.value).sort()).toEqual(['+14155550100', 'ann@example.com']);

    const merged = await get(source.id);
    expect(merged.mergedIntoId).toBe(target.id);
    expect(merged.mergedAt).not.toBeNull();
    expect(merged.identities).toEqual([]);

    const rows = await withTenant(t().database.db, acc.accountId, async (tx) => ({
      conv: (await tx.execute<{ customer_id: string }>(sql`select customer_id from conversations where id = ${conv.conversationId}`))
        .rows[0]!.customer_id,
      authors: (
        await tx.execute<{ author_customer_id: string | null }>(
          sql`select author_customer_id from messages where conversation_id = ${conv.conversationId} and kind = 'incoming'`,
        )
      ).rows.map((r) => r.author_customer_id),
      sourceEvents: (await tx.execute<{ n: number }>(sql`select count(*)::int as n from events where customer_id = ${source.id}`)).rows[0]!
        .n,
    }));
    expect(rows).toEqual({ conv: target.id, authors: [target.id], sourceEvents: 0 });

    // The target's timeline now shows the source's conversation, messages and history.
    const timeline = (await t().app.inject({ url: `${api}/${target.id}/timeline`, headers: agent.headers })).json().data;
    expect(timeline.filter((i: { kind: string }) => i.kind === 'conversation').map((i: { id: string }) => i.id)).toEqual([
      conv.conversationId,
    ]);
    expect(timeline.filter((i: { kind: string }) => i.kind === 'message')).toHaveLength(2);
    const mergedEvent = timeline.find((i: { type?: string }) => i.type === 'customer.merged');
    expect(mergedEvent.payload).toMatchObject({
      sourceId: source.id,
      target: { id: target.id },
      customer: { id: target.id },
      moved: { identities: 1, conversations: 1, messages: 1, notes: 0, events: 1 },
      fieldsTakenFromSource: ['phone', 'segment', 'attributes.city'],
    });
    expect(
      timeline
        .filter((i: { type?: string }) => i.type === 'customer.created')
        .map((i: { payload: { customer: { id: string } } }) => i.payload.customer.id)
        .sort(),
    ).toEqual([target.id, source.id].sort());

    // Lists skip the merged profile; writes to it are refused.
    const list = (await t().app.inject({ url: api, headers: agent.headers })).json().data.map((c: { id: string }) => c.id);
    expect(list).toEqual([target.id]);
    const patch = await t().app.inject({ method: 'PATCH', url: `${api}/${source.id}`, headers: agent.headers, payload: { name: 'x' } });
    expect(patch.statusCode).toBe(409);
    expect(patch.json().mergedIntoId).toBe(target.id);
  });

  it('refuses to merge a customer into itself, a merged source, or into a merged target (nothing changes)', async () => {
    const { acc, create, merge, get } = await setup();
    const a = await create({ name: 'A' });
    const b = await create({ name: 'B', email: 'b@example.com' });
    const c = await create({ name: 'C' });
    const self = await merge(a.id, a.id);
    expect(self.statusCode).toBe(422);
    expect(self.json().errors[0].path).toBe('sourceId');
    expect((await merge(a.id, b.id)).statusCode).toBe(200);
    const events = await countRows(t(), acc.accountId, 'events');
    const again = await merge(c.id, b.id);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('conflict');
    const intoMerged = await merge(b.id, c.id);
    expect(intoMerged.statusCode).toBe(409);
    expect(intoMerged.json().mergedIntoId).toBe(a.id);
    expect(await countRows(t(), acc.accountId, 'events')).toBe(events);
    expect((await get(c.id)).mergedIntoId).toBeNull();
  });

  it('redirects customers merged into the source to the new survivor', async () => {
    const { create, merge, get } = await setup();
    const a = await create({ name: 'A' });
    const b = await create({ name: 'B' });
    const c = await create({ name: 'C' });
    expect((await merge(b.id, c.id)).statusCode).toBe(200);
    expect((await merge(a.id, b.id)).statusCode).toBe(200);
    expect((await get(c.id)).mergedIntoId).toBe(a.id);
  });

  it("answers 404 for another tenant's customer on either side, and changes nothing", async () => {
    const { create, merge, get } = await setup();
    const other = await setup();
    const mine = await create({ name: 'Mine' });
    const theirs = await other.create({ name: 'Theirs', email: 'theirs@example.com' });
    expect((await merge(mine.id, theirs.id)).statusCode).toBe(404);
    expect((await merge(theirs.id, mine.id)).statusCode).toBe(404);
    expect((await other.get(theirs.id)).mergedIntoId).toBeNull();
    expect((await get(mine.id)).mergedIntoId).toBeNull();
  });

  it('is for supervisors and above: agents and analysts get 403', async () => {
    const { acc, agent, create, merge, get } = await setup();
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const a = await create({ name: 'A' });
    const b = await create({ name: 'B' });
    expect((await merge(a.id, b.id, agent.headers)).statusCode).toBe(403);
    expect((await merge(a.id, b.id, analyst.headers)).statusCode).toBe(403);
    expect((await get(b.id)).mergedIntoId).toBeNull();
    const admin = await createUser(t(), acc.accountId, 'admin');
    expect((await merge(a.id, b.id, admin.headers)).statusCode).toBe(200);
  });

  it('validates the body with 422 and 401s without credentials', async () => {
    const { create, merge } = await setup();
    const a = await create({ name: 'A' });
    expect((await merge(a.id, 'not-a-uuid')).statusCode).toBe(422);
    expect((await t().app.inject({ method: 'POST', url: `${api}/${a.id}/merge`, payload: { sourceId: a.id } })).statusCode).toBe(401);
  });
});
