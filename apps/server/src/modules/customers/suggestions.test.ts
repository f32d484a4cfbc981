import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createAccount, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { customerMergeSuggestions } from '../../db/schema';
import { withTenant } from '../../db/tenant';
import { systemCtx } from '../../platform/context';
import { command } from '../../platform/tx';
import { recordClaimedIdentity } from './index';

const t = useTestApp();
const api = '/api/v1/customers';

async function setup() {
  const acc = await createAccount(t());
  const agent = await createUser(t(), acc.accountId, 'agent');
  const supervisor = await createUser(t(), acc.accountId, 'supervisor');
  const create = async (payload: Record<string, unknown>) =>
    (await t().app.inject({ method: 'POST', url: api, headers: agent.headers, payload })).json().data as { id: string };
  const get = async (id: string) => (await t().app.inject({ url: `${api}/${id}`, headers: agent.headers })).json().data;
  const claimEmail = async (customerId: string, value: string, source = 'webchat.prechat') => {
    const ctx = systemCtx({ db: t().database.db, events: t().events }, acc.accountId, 'test');
    return command(ctx, (tx) => recordClaimedIdentity(tx, ctx, customerId, { kind: 'email', value, source }));
  };
  const list = async (headers: Record<string, string> = agent.headers, url = `${api}/merge-suggestions`) =>
    t().app.inject({ url, headers });
  const decide = (id: string, action: 'merge' | 'dismiss', payload?: unknown, headers: Record<string, string> = supervisor.headers) =>
    t().app.inject({ method: 'POST', url: `${api}/merge-suggestions/${id}/${action}`, headers, ...(payload ? { payload } : {}) });
  const rows = () =>
    withTenant(t().database.db, acc.accountId, (tx) =>
      tx.select().from(customerMergeSuggestions).where(eq(customerMergeSuggestions.accountId, acc.accountId)),
    );
  /** A visitor who typed a known customer's email: the usual way a suggestion opens. */
  const pair = async (email = `k${Math.random().toString(36).slice(2, 8)}@example.com`) => {
    const known = await create({ name: 'Known', email });
    const visitor = await create({ name: 'Visitor' });
    const { suggestionId } = await claimEmail(visitor.id, email);
    return { known, visitor, suggestionId: suggestionId!, email };
  };
  return { acc, agent, supervisor, create, get, claimEmail, list, decide, rows, pair };
}

describe('GET /customers/merge-suggestions', () => {
  it('lists open suggestions with both profiles, paginated, and per customer', async () => {
    const s = await setup();
    const a = await s.pair();
    const b = await s.pair();
    const res = await s.list(s.agent.headers, `${api}/merge-suggestions?limit=1`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({
      id: b.suggestionId,
      status: 'open',
      customer: { id: b.visitor.id, name: 'Visitor' },
      candidate: { id: b.known.id, email: b.email },
      reasons: [{ kind: 'email', value: b.email, source: 'webchat.prechat' }],
    });
    expect(body.policies).toEqual([{ id: b.suggestionId, abilities: { merge: false, dismiss: false } }]);
    const next = (await s.list(s.agent.headers, `${api}/merge-suggestions?limit=1&cursor=${body.page.nextCursor}`)).json();
    expect(next.data.map((x: { id: string }) => x.id)).toEqual([a.suggestionId]);
    expect(next.page.nextCursor).toBeNull();

    const ofKnown = (await s.list(s.supervisor.headers, `${api}/${a.known.id}/merge-suggestions`)).json();
    expect(ofKnown.data.map((x: { id: string }) => x.id)).toEqual([a.suggestionId]);
    expect(ofKnown.policies[0].abilities).toEqual({ merge: true, dismiss: true });
    expect((await s.list(s.agent.headers, `${api}/merge-suggestions?cursor=bogus`)).statusCode).toBe(422);
  });

  it('needs credentials and hides other tenants', async () => {
    const s = await setup();
    const other = await setup();
    const { known } = await s.pair();
    expect((await t().app.inject({ url: `${api}/merge-suggestions` })).statusCode).toBe(401);
    expect((await other.list()).json().data).toEqual([]);
    expect((await other.list(other.agent.headers, `${api}/${known.id}/merge-suggestions`)).statusCode).toBe(404);
  });
});

describe('POST /customers/merge-suggestions/:id/merge', () => {
  it('merges the pair with the chosen survivor and closes the suggestion; a second decision is 409', async () => {
    const s = await setup();
    const { known, visitor, suggestionId } = await s.pair();
    const res = await s.decide(suggestionId, 'merge', { survivorId: known.id });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ id: suggestionId, status: 'merged', decidedByUserId: s.supervisor.userId });
    expect((await s.get(visitor.id)).mergedIntoId).toBe(known.id);
    expect((await s.list()).json().data).toEqual([]);
    const again = await s.decide(suggestionId, 'merge', { survivorId: known.id });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect((await s.decide(suggestionId, 'dismiss')).statusCode).toBe(409);
  });

  it('lets the newer profile survive too', async () => {
    const s = await setup();
    const { known, visitor, suggestionId, email } = await s.pair();
    expect((await s.decide(suggestionId, 'merge', { survivorId: visitor.id })).statusCode).toBe(200);
    expect((await s.get(known.id)).mergedIntoId).toBe(visitor.id);
    expect((await s.get(visitor.id)).email).toBe(email);
  });

  it('rejects without changing anything: an agent (403), a survivor outside the pair (422), another tenant (404)', async () => {
    const s = await setup();
    const other = await setup();
    const { known, visitor, suggestionId } = await s.pair();
    const stranger = await s.create({ name: 'Stranger' });
    const before = await s.rows();
    expect((await s.decide(suggestionId, 'merge', { survivorId: known.id }, s.agent.headers)).statusCode).toBe(403);
    expect((await s.decide(suggestionId, 'dismiss', undefined, s.agent.headers)).statusCode).toBe(403);
    const outside = await s.decide(suggestionId, 'merge', { survivorId: stranger.id });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().errors).toEqual([expect.objectContaining({ path: 'survivorId' })]);
    expect((await s.decide(suggestionId, 'merge', { survivorId: 'nope' })).statusCode).toBe(422);
    expect((await s.decide(suggestionId, 'merge', { survivorId: known.id }, other.supervisor.headers)).statusCode).toBe(404);
    expect((await s.decide(suggestionId, 'dismiss', undefined, other.supervisor.headers)).statusCode).toBe(404);
    expect(await s.rows()).toEqual(before);
    expect((await s.get(visitor.id)).mergedIntoId).toBeNull();
    expect((await s.get(known.id)).mergedIntoId).toBeNull();
  });
});

describe('POST /customers/merge-suggestions/:id/dismiss', () => {
  it('closes the suggestion and the same pair is not suggested again', async () => {
    const s = await setup();
    const { known, visitor, suggestionId, email } = await s.pair();
    const res = await s.decide(suggestionId, 'dismiss');
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ status: 'dismissed', decidedByUserId: s.supervisor.userId });
    expect(await s.claimEmail(visitor.id, email, 'webchat.offline_form')).toEqual({ outcome: 'suggested', suggestionId });
    expect((await s.list()).json().data).toEqual([]);
    expect((await s.get(visitor.id)).mergedIntoId).toBeNull();
    expect((await s.get(known.id)).mergedIntoId).toBeNull();
  });
});

describe('suggestions after other merges', () => {
  it('move to the survivor of an unrelated merge, and close when the pair itself is merged', async () => {
    const s = await setup();
    const { known, visitor, suggestionId } = await s.pair();
    const third = await s.create({ name: 'Third' });
    const merge = (targetId: string, sourceId: string) =>
      t().app.inject({ method: 'POST', url: `${api}/${targetId}/merge`, headers: s.supervisor.headers, payload: { sourceId } });
    expect((await merge(third.id, visitor.id)).statusCode).toBe(200);
    let [row] = await s.rows();
    expect(row).toMatchObject({ id: suggestionId, status: 'open', customerId: third.id, candidateId: known.id });

    expect((await merge(known.id, third.id)).statusCode).toBe(200);
    [row] = await s.rows();
    expect(row).toMatchObject({ id: suggestionId, status: 'merged', decidedByUserId: s.supervisor.userId });
    expect((await s.list()).json().data).toEqual([]);
  });

  it('fold into the survivor’s open suggestion with the same profile instead of doubling it', async () => {
    const s = await setup();
    const { known, visitor, email } = await s.pair();
    const other = await s.create({ name: 'Other visitor' });
    await s.claimEmail(other.id, email, 'webchat.offline_form');
    expect(await s.rows()).toHaveLength(2);
    const res = await t().app.inject({
      method: 'POST',
      url: `${api}/${other.id}/merge`,
      headers: s.supervisor.headers,
      payload: { sourceId: visitor.id },
    });
    expect(res.statusCode).toBe(200);
    const rows = await s.rows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'open', customerId: other.id, candidateId: known.id });
    expect(rows[0]!.reasons.map((r) => r.source).sort()).toEqual(['webchat.offline_form', 'webchat.prechat']);
  });
});

describe('one inbound message naming two profiles', () => {
  it('suggests merging them, and the message goes to the most specific one', async () => {
    const s = await setup();
    const byEmail = await s.create({ name: 'By email', email: 'gus@example.com' });
    const byPhone = await s.create({ name: 'By phone', phone: '+14155550123' });
    const res = await t().app.inject({
      method: 'POST',
      url: '/api/v1/conversations',
      headers: s.agent.headers,
      payload: { customer: { email: 'gus@example.com', phone: '+1 415 555 0123' }, message: { body: 'Hi' } },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().data.conversation.customerId).toBe(byEmail.id);
    const rows = await s.rows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ customerId: byEmail.id, candidateId: byPhone.id, status: 'open' });
    expect(rows[0]!.reasons).toEqual([expect.objectContaining({ kind: 'phone', value: '+14155550123', source: 'resolve:user' })]);
  });
});
