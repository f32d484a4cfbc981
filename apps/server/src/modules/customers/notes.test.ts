import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createAccount, createApiKeyHeaders, createUser } from '../../../test/factories';
import { useTestApp, type TestApp } from '../../../test/harness';
import { events } from '../../db/schema';
import { withTenant } from '../../db/tenant';
import { seedConversation } from './test-support';

const t = useTestApp();
const api = '/api/v1/customers';

const eventsOf = (app: TestApp, accountId: string, type: string) =>
  withTenant(app.database.db, accountId, (tx) =>
    tx
      .select()
      .from(events)
      .where(and(eq(events.accountId, accountId), eq(events.type, type))),
  );

type Note = { id: string; customerId: string; authorUserId: string | null; body: string; createdAt: string };

async function setup() {
  const acc = await createAccount(t());
  const agent = await createUser(t(), acc.accountId, 'agent');
  const customer = (await t().app.inject({ method: 'POST', url: api, headers: agent.headers, payload: { name: 'Noted' } })).json().data;
  const add = (headers: Record<string, string>, body: unknown, id = customer.id) =>
    t().app.inject({ method: 'POST', url: `${api}/${id}/notes`, headers, payload: body as Record<string, unknown> });
  const list = async (headers: Record<string, string> = agent.headers, id = customer.id, query = '') => {
    const res = await t().app.inject({ url: `${api}/${id}/notes${query}`, headers });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return res.json() as { data: Note[]; page: { nextCursor: string | null }; policies: { id: string; abilities: { delete: boolean } }[] };
  };
  const remove = (headers: Record<string, string>, noteId: string, id = customer.id) =>
    t().app.inject({ method: 'DELETE', url: `${api}/${id}/notes/${noteId}`, headers });
  return { acc, agent, customer, add, list, remove };
}

describe('customer notes', () => {
  it('adds a note (201, trimmed, authored, with policies), lists it newest first, emits customer.note_added', async () => {
    const { acc, agent, customer, add, list } = await setup();
    const first = await add(agent.headers, { body: '  Prefers email over phone.  ' });
    expect(first.statusCode, first.body).toBe(201);
    const note = first.json().data as Note;
    expect(note).toMatchObject({ customerId: customer.id, authorUserId: agent.userId, body: 'Prefers email over phone.' });
    expect(first.json().policies).toEqual([{ id: note.id, abilities: { delete: true } }]);
    await add(agent.headers, { body: 'Renewal due in March.' });

    const page = await list();
    expect(page.data.map((n) => n.body)).toEqual(['Renewal due in March.', 'Prefers email over phone.']);
    expect(page.page.nextCursor).toBeNull();
    const events = await eventsOf(t(), acc.accountId, 'customer.note_added');
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.customerId === customer.id)).toBe(true);
  });

  it('paginates with a keyset cursor and refuses a cursor it did not make', async () => {
    const { agent, customer, add, list } = await setup();
    for (let i = 0; i < 5; i++) await add(agent.headers, { body: `Note ${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(agent.headers, undefined, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.data.map((n) => n.body));
      cursor = page.page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Note 4', 'Note 3', 'Note 2', 'Note 1', 'Note 0']);
    const bad = await t().app.inject({ url: `${api}/${customer.id}/notes?cursor=bm9wZQ`, headers: agent.headers });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].path).toBe('querystring.cursor');
  });

  it('rejects an empty, blank, too long or NUL note with 422 and writes nothing', async () => {
    const { agent, add, list } = await setup();
    for (const body of [{}, { body: '' }, { body: '   \n ' }, { body: 'x'.repeat(10_001) }, { body: 'a\u0000b' }, { body: 42 }]) {
      const res = await add(agent.headers, body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 60)).toBe(422);
      expect(res.json().code).toBe('validation_failed');
      expect(res.json().errors[0].path).toMatch(/^body/);
    }
    expect((await list()).data).toEqual([]);
  });

  it('answers 403 to an analyst writing or deleting, and to an agent deleting a teammate’s note', async () => {
    const { acc, agent, add, list, remove } = await setup();
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const other = await createUser(t(), acc.accountId, 'agent');
    const note = (await add(agent.headers, { body: 'Mine' })).json().data as Note;

    const write = await add(analyst.headers, { body: 'Analyst note' });
    expect(write.statusCode).toBe(403);
    expect(write.json().code).toBe('forbidden');
    expect((await remove(analyst.headers, note.id)).statusCode).toBe(403);
    expect((await remove(other.headers, note.id)).statusCode).toBe(403);

    // Analysts still read; the policies say who may delete.
    const asAnalyst = await list(analyst.headers);
    expect(asAnalyst.data.map((n) => n.body)).toEqual(['Mine']);
    expect(asAnalyst.policies).toEqual([{ id: note.id, abilities: { delete: false } }]);
    expect((await list(other.headers)).policies[0]!.abilities.delete).toBe(false);
  });

  it('lets the author and a supervisor delete (204), removes the note from the timeline, and 404s a second time', async () => {
    const { acc, agent, customer, add, list, remove } = await setup();
    const supervisor = await createUser(t(), acc.accountId, 'supervisor');
    const mine = (await add(agent.headers, { body: 'Delete me' })).json().data as Note;
    const theirs = (await add(agent.headers, { body: 'Supervisor deletes me' })).json().data as Note;
    expect((await list(supervisor.headers)).policies.every((p) => p.abilities.delete)).toBe(true);

    expect((await remove(agent.headers, mine.id)).statusCode).toBe(204);
    expect((await remove(supervisor.headers, theirs.id)).statusCode).toBe(204);
    expect((await remove(agent.headers, mine.id)).statusCode).toBe(404);
    expect((await list()).data).toEqual([]);
    const timeline = (await t().app.inject({ url: `${api}/${customer.id}/timeline`, headers: agent.headers })).json().data;
    expect(timeline.filter((i: { kind: string; type?: string }) => i.kind === 'note' || i.type?.startsWith('customer.note'))).toEqual([]);
    expect(await eventsOf(t(), acc.accountId, 'customer.note_deleted')).toHaveLength(2);
  });

  it('answers 404 for another tenant’s customer or note, and changes nothing', async () => {
    const { agent, customer, add, remove, list } = await setup();
    const other = await setup();
    const theirNote = (await other.add(other.agent.headers, { body: 'Theirs' })).json().data as Note;
    const mine = (await add(agent.headers, { body: 'Mine' })).json().data as Note;

    expect((await add(agent.headers, { body: 'x' }, other.customer.id)).statusCode).toBe(404);
    expect((await t().app.inject({ url: `${api}/${other.customer.id}/notes`, headers: agent.headers })).statusCode).toBe(404);
    expect((await remove(agent.headers, theirNote.id, other.customer.id)).statusCode).toBe(404);
    // Their note through my customer, and my note through their customer: still 404.
    expect((await remove(agent.headers, theirNote.id, customer.id)).statusCode).toBe(404);
    expect((await remove(other.agent.headers, mine.id, customer.id)).statusCode).toBe(404);
    expect((await other.list(other.agent.headers)).data.map((n) => n.body)).toEqual(['Theirs']);
    expect((await list()).data.map((n) => n.body)).toEqual(['Mine']);
  });

  it('answers 401 without credentials, lets an API key write (no author), and 409s on a merged-away profile', async () => {
    const { acc, agent, customer, add } = await setup();
    const id = customer.id;
    for (const c of [
      { method: 'GET', url: `${api}/${id}/notes` },
      { method: 'POST', url: `${api}/${id}/notes`, payload: { body: 'x' } },
      { method: 'DELETE', url: `${api}/${id}/notes/${id}` },
    ] as const) {
      expect((await t().app.inject(c)).statusCode, `${c.method} ${c.url}`).toBe(401);
    }
    const key = await createApiKeyHeaders(t(), acc.accountId, 'agent');
    const viaKey = await add(key, { body: 'From the CRM sync' });
    expect(viaKey.statusCode).toBe(201);
    expect(viaKey.json().data.authorUserId).toBeNull();
    expect(viaKey.json().policies[0].abilities.delete).toBe(false);

    const supervisor = await createUser(t(), acc.accountId, 'supervisor');
    const survivor = (await t().app.inject({ method: 'POST', url: api, headers: agent.headers, payload: { name: 'Survivor' } })).json()
      .data;
    const merged = await t().app.inject({
      method: 'POST',
      url: `${api}/${survivor.id}/merge`,
      headers: supervisor.headers,
      payload: { sourceId: customer.id },
    });
    expect(merged.statusCode).toBe(200);
    expect(merged.json().data.id).toBe(survivor.id);
    const late = await add(agent.headers, { body: 'Too late' });
    expect(late.statusCode).toBe(409);
    // The note moved with the merge.
    const moved = (await t().app.inject({ url: `${api}/${survivor.id}/notes`, headers: agent.headers })).json().data;
    expect(moved.map((n: Note) => n.body)).toEqual(['From the CRM sync']);
  });

  it('shows notes on the timeline among conversations, and `kind` narrows the timeline to one kind', async () => {
    const { acc, agent, customer, add } = await setup();
    const conv = await seedConversation(t(), acc.accountId, acc.apiChannelId, customer.id, { messages: [{ body: 'hi' }] });
    const note = (await add(agent.headers, { body: 'VIP at renewal' })).json().data as Note;
    const timeline = async (query = '') => {
      const res = await t().app.inject({ url: `${api}/${customer.id}/timeline${query}`, headers: agent.headers });
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      return res.json().data as { kind: string; id: string; body?: string; authorUserId?: string }[];
    };
    const all = await timeline();
    expect(all[0]).toMatchObject({ kind: 'note', id: note.id, body: 'VIP at renewal', authorUserId: agent.userId });
    expect(all.some((i) => i.kind === 'conversation' && i.id === conv.conversationId)).toBe(true);
    expect((await timeline('?kind=conversation')).map((i) => [i.kind, i.id])).toEqual([['conversation', conv.conversationId]]);
    expect((await timeline('?kind=note')).map((i) => i.id)).toEqual([note.id]);
    const bad = await t().app.inject({ url: `${api}/${customer.id}/timeline?kind=orders`, headers: agent.headers });
    expect(bad.statusCode).toBe(422);
  });
});
