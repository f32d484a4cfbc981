import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createAccount, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { customerMergeSuggestions, events } from '../../db/schema';
import { withTenant } from '../../db/tenant';
import { systemCtx } from '../../platform/context';
import { command } from '../../platform/tx';
import { recordClaimedIdentity, type IdentityClaim } from './index';

const t = useTestApp();
const api = '/api/v1/customers';

async function setup() {
  const acc = await createAccount(t());
  const agent = await createUser(t(), acc.accountId, 'agent');
  const create = async (payload: Record<string, unknown>) =>
    (await t().app.inject({ method: 'POST', url: api, headers: agent.headers, payload })).json().data as { id: string };
  const get = async (id: string) => (await t().app.inject({ url: `${api}/${id}`, headers: agent.headers })).json().data;
  // As the widget calls it: inside a command of its own, with its own write in the same transaction.
  const claim = (customerId: string, c: IdentityClaim, accountId = acc.accountId) => {
    const ctx = systemCtx({ db: t().database.db, events: t().events }, accountId, 'test');
    return command(ctx, (tx) => recordClaimedIdentity(tx, ctx, customerId, c));
  };
  const suggestions = () =>
    withTenant(t().database.db, acc.accountId, (tx) =>
      tx.select().from(customerMergeSuggestions).where(eq(customerMergeSuggestions.accountId, acc.accountId)),
    );
  const eventsOf = (type: string) =>
    withTenant(t().database.db, acc.accountId, (tx) =>
      tx
        .select()
        .from(events)
        .where(and(eq(events.accountId, acc.accountId), eq(events.type, type as never))),
    );
  return { acc, agent, create, get, claim, suggestions, eventsOf };
}

describe('recordClaimedIdentity', () => {
  it('attaches an unclaimed identity as unverified and fills the empty primary column', async () => {
    const { create, get, claim, eventsOf } = await setup();
    const visitor = await create({ name: 'Visitor' });
    const r = await claim(visitor.id, { kind: 'email', value: '  Ann@Example.COM ', source: 'webchat.prechat' });
    expect(r).toEqual({ outcome: 'attached' });
    const c = await get(visitor.id);
    expect(c.email).toBe('ann@example.com');
    expect(c.identities).toEqual([expect.objectContaining({ kind: 'email', value: 'ann@example.com', verified: false })]);
    expect((await eventsOf('customer.identity_added')).map((e) => e.customerId)).toEqual([visitor.id]);
  });

  it('keeps an existing primary column and adds the claim as another identity', async () => {
    const { create, get, claim } = await setup();
    const c = await create({ phone: '+14155550100' });
    expect(await claim(c.id, { kind: 'phone', value: '+1 (415) 555-0199', source: 'messaging.text' })).toEqual({ outcome: 'attached' });
    const after = await get(c.id);
    expect(after.phone).toBe('+14155550100');
    expect(after.identities.map((i: { value: string }) => i.value).sort()).toEqual(['+14155550100', '+14155550199']);
  });

  it('says already_own when the customer has the identity, and changes nothing', async () => {
    const { create, claim, suggestions, eventsOf } = await setup();
    const c = await create({ email: 'bo@example.com' });
    const before = (await eventsOf('customer.identity_added')).length;
    expect(await claim(c.id, { kind: 'email', value: 'BO@example.com', source: 'webchat.prechat' })).toEqual({ outcome: 'already_own' });
    expect(await suggestions()).toEqual([]);
    expect((await eventsOf('customer.identity_added')).length).toBe(before);
  });

  it('reports an invalid value without throwing or writing', async () => {
    const { create, get, claim, suggestions } = await setup();
    const c = await create({ name: 'Cy' });
    expect(await claim(c.id, { kind: 'email', value: 'not an email', source: 'webchat.prechat' })).toEqual({ outcome: 'invalid' });
    expect(await claim(c.id, { kind: 'phone', value: '12', source: 'webchat.prechat' })).toEqual({ outcome: 'invalid' });
    expect(await claim(c.id, { kind: 'channel_handle' as 'email', value: 'x', source: 'webchat.prechat' })).toEqual({ outcome: 'invalid' });
    expect((await get(c.id)).identities).toEqual([]);
    expect(await suggestions()).toEqual([]);
  });

  it("never attaches another profile's identity: it opens one merge suggestion, idempotently", async () => {
    const { create, get, claim, suggestions, eventsOf } = await setup();
    const known = await create({ name: 'Dee', email: 'dee@example.com' });
    const visitor = await create({ name: 'Visitor' });
    const first = await claim(visitor.id, { kind: 'email', value: 'dee@example.com', source: 'webchat.prechat' });
    expect(first.outcome).toBe('suggested');
    expect(first.suggestionId).toEqual(expect.any(String));
    expect((await get(visitor.id)).identities).toEqual([]);
    expect((await get(visitor.id)).email).toBeNull();

    // The same claim again, and the same pair seen from the other side, keep the one open suggestion.
    expect(await claim(visitor.id, { kind: 'email', value: 'Dee@example.com', source: 'webchat.prechat' })).toEqual(first);
    const other = await claim(visitor.id, { kind: 'email', value: 'dee@example.com', source: 'webchat.offline_form' });
    expect(other).toEqual(first);
    const rows = await suggestions();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ customerId: visitor.id, candidateId: known.id, status: 'open' });
    expect(rows[0]!.reasons.map((r) => r.source)).toEqual(['webchat.prechat', 'webchat.offline_form']);
    expect(rows[0]!.reasons[0]).toMatchObject({ kind: 'email', value: 'dee@example.com' });
    const emitted = await eventsOf('customer.merge_suggested');
    expect(emitted).toHaveLength(1);
    expect(emitted[0]!.payload).toMatchObject({ candidateId: known.id, suggestion: { id: first.suggestionId } });
  });

  it('in account A never sees a profile of account B', async () => {
    const a = await setup();
    const b = await setup();
    await b.create({ email: 'eve@example.com' });
    const visitorA = await a.create({ name: 'Visitor' });
    expect(await a.claim(visitorA.id, { kind: 'email', value: 'eve@example.com', source: 'webchat.prechat' })).toEqual({
      outcome: 'attached',
    });
    expect(await a.suggestions()).toEqual([]);
    expect(await b.suggestions()).toEqual([]);
    // A customer id of the other account is not found, under that account's tenant.
    await expect(a.claim(visitorA.id, { kind: 'email', value: 'x@example.com', source: 'x' }, b.acc.accountId)).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('follows a merged-away profile to its survivor', async () => {
    const { acc, create, get, claim } = await setup();
    const survivor = await create({ name: 'Fay' });
    const source = await create({ name: 'Fay (chat)' });
    const supervisor = await createUser(t(), acc.accountId, 'supervisor');
    const merged = await t().app.inject({
      method: 'POST',
      url: `${api}/${survivor.id}/merge`,
      headers: supervisor.headers,
      payload: { sourceId: source.id },
    });
    expect(merged.statusCode).toBe(200);
    expect(await claim(source.id, { kind: 'email', value: 'fay@example.com', source: 'webchat.prechat' })).toEqual({ outcome: 'attached' });
    expect((await get(survivor.id)).email).toBe('fay@example.com');
  });
});
