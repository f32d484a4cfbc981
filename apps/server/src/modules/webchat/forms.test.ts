import { and, count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { agentPresence, channels, customerIdentities, customerMergeSuggestions, messages, webchatVisitors } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import { createAccount, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { createWebChannel, sendAsVisitor, startSession, type Visitor } from './test-support';

const t = useTestApp();

const configOf = async (web: string) => (await t().app.inject({ method: 'GET', url: `/api/v1/widget/${web}/config` })).json().data;
const prechat = (web: string, v: Visitor | null, payload: object) =>
  t().app.inject({ method: 'POST', url: `/api/v1/widget/${web}/prechat`, headers: v?.headers ?? {}, payload });
const offline = (web: string, v: Visitor | null, payload: object) =>
  t().app.inject({ method: 'POST', url: `/api/v1/widget/${web}/offline-messages`, headers: v?.headers ?? {}, payload });

async function setConfig(web: string, config: Record<string, unknown>) {
  await withSystem(t().database.db, (tx) => tx.update(channels).set({ config }).where(eq(channels.id, web)));
}

async function customerOf(accountId: string, headers: Record<string, string>) {
  const [row] = await withSystem(t().database.db, (tx) =>
    tx.select({ id: webchatVisitors.customerId }).from(webchatVisitors).where(eq(webchatVisitors.accountId, accountId)),
  );
  return (await t().app.inject({ method: 'GET', url: `/api/v1/customers/${row!.id}`, headers })).json().data;
}

async function counts(accountId: string) {
  return withSystem(t().database.db, async (tx) => ({
    identities: (await tx.select({ n: count() }).from(customerIdentities).where(eq(customerIdentities.accountId, accountId)))[0]!.n,
    messages: (await tx.select({ n: count() }).from(messages).where(eq(messages.accountId, accountId)))[0]!.n,
    suggestions: (
      await tx.select({ n: count() }).from(customerMergeSuggestions).where(eq(customerMergeSuggestions.accountId, accountId))
    )[0]!.n,
  }));
}

describe('widget config', () => {
  it('is online only while an agent who takes conversations is online, and carries the pre-chat settings', async () => {
    const acc = await createAccount(t());
    const web = await createWebChannel(t(), acc.accountId);
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const agent = await createUser(t(), acc.accountId, 'agent');
    await setConfig(web, {
      greeting: 'Hej!',
      prechat: { enabled: true, intro: 'Who are you?', fields: { name: 'required', email: 'optional' } },
    });
    expect(await configOf(web)).toMatchObject({
      online: false,
      greeting: 'Hej!',
      prechat: { enabled: true, intro: 'Who are you?', fields: { name: 'required', email: 'optional' } },
    });
    const presence = (u: typeof agent, state: string) =>
      t().app.inject({ method: 'PUT', url: '/api/v1/presence', headers: u.headers, payload: { state } });
    // Analysts cannot set a presence through the API; even with a row saying online they take no conversations.
    await withSystem(t().database.db, (tx) =>
      tx.insert(agentPresence).values({ accountId: acc.accountId, userId: analyst.userId, state: 'online' }),
    );
    expect((await configOf(web)).online).toBe(false);
    expect((await presence(agent, 'away')).statusCode).toBe(200);
    expect((await configOf(web)).online).toBe(false);
    await presence(agent, 'online');
    expect((await configOf(web)).online).toBe(true);
    // A malformed stored config falls back to the defaults instead of breaking the widget.
    await setConfig(web, { prechat: 'yes please' });
    expect((await configOf(web)).prechat).toEqual({ enabled: false, intro: null, fields: { name: 'off', email: 'off' } });
    expect((await t().app.inject({ method: 'GET', url: `/api/v1/widget/${acc.apiChannelId}/config` })).statusCode).toBe(404);
  });

  it('validates a web channel config when the channel is created', async () => {
    const acc = await createAccount(t());
    const post = (config: unknown) =>
      t().app.inject({
        method: 'POST',
        url: '/api/v1/channels',
        headers: acc.owner.headers,
        payload: { kind: 'web', name: 'Shop', config },
      });
    const bad = await post({ prechat: { enabled: true, fields: { email: 'sometimes' } } });
    expect(bad.statusCode).toBe(422);
    expect(JSON.stringify(bad.json())).toContain('config.prechat.fields.email');
    const ok = await post({ prechat: { enabled: true, fields: { name: 'off' } } });
    expect(ok.statusCode).toBe(201);
    expect((await configOf(ok.json().data.id)).prechat.fields).toEqual({ name: 'off', email: 'required' });
  });
});

describe('pre-chat form', () => {
  it("sets the visitor's name and claims their email, and never attaches an email another profile owns", async () => {
    const acc = await createAccount(t());
    const web = await createWebChannel(t(), acc.accountId);
    await setConfig(web, { prechat: { enabled: true, fields: { name: 'optional', email: 'required' } } });
    const v = await startSession(t(), web);
    const res = await prechat(web, v, { name: 'Grace <b>Hopper</b>', email: 'grace@example.com' });
    expect(res.statusCode).toBe(204);
    const me = await customerOf(acc.accountId, acc.owner.headers);
    expect(me).toMatchObject({ name: 'Grace <b>Hopper</b>', email: 'grace@example.com' });

    // Someone else types a known customer's email: nothing of theirs is attached, a merge suggestion is raised.
    const ada = await t().app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: acc.owner.headers,
      payload: { name: 'Ada', email: 'ada@example.com' },
    });
    expect(ada.statusCode).toBe(201);
    const other = await createWebChannel(t(), acc.accountId);
    await setConfig(other, { prechat: { enabled: true } });
    const stranger = await startSession(t(), other);
    const before = await counts(acc.accountId);
    expect((await prechat(other, stranger, { email: 'ADA@example.com' })).statusCode).toBe(204);
    const after = await counts(acc.accountId);
    expect(after.identities).toBe(before.identities);
    expect(after.suggestions).toBe(before.suggestions + 1);
    const history = await t().app.inject({ method: 'GET', url: `/api/v1/widget/${other}/messages`, headers: stranger.headers });
    expect(history.json().data.messages).toEqual([]);
  });

  it("refuses a missing required field, a bad email and strangers, and changes nothing; drops fields the channel doesn't ask", async () => {
    const acc = await createAccount(t());
    const web = await createWebChannel(t(), acc.accountId);
    await setConfig(web, { prechat: { enabled: true, fields: { name: 'required', email: 'off' } } });
    const v = await startSession(t(), web);
    const before = await counts(acc.accountId);
    for (const body of [{}, { email: 'x@example.com' }, { name: 'Al', email: 'not-an-email' }, { name: '   ' }]) {
      const res = await prechat(web, v, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await prechat(web, null, { name: 'Al' })).statusCode).toBe(401);
    expect(await counts(acc.accountId)).toEqual(before);
    expect((await prechat(web, v, { name: 'Al', email: 'al@example.com' })).statusCode).toBe(204);
    expect((await counts(acc.accountId)).identities).toBe(before.identities); // email is "off" on this channel
  });
});

describe('offline form', () => {
  it('stores the message, claims the email and marks the conversation for an answer by email, once on retry', async () => {
    const acc = await createAccount(t());
    const web = await createWebChannel(t(), acc.accountId);
    const v = await startSession(t(), web);
    const body = { body: "'; drop table messages; --", clientMessageId: 'off-1', email: 'lin@example.com', name: 'Lin' };
    const first = await offline(web, v, body);
    expect(first.statusCode).toBe(201);
    const retry = await offline(web, v, body);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().data.message.id).toBe(first.json().data.message.id);

    const conversationId = first.json().data.message.conversationId;
    const conv = (
      await t().app.inject({ method: 'GET', url: `/api/v1/conversations/${conversationId}`, headers: acc.owner.headers })
    ).json().data;
    expect(conv.tags).toEqual(['reply-by-email']);
    const thread = (
      await t().app.inject({ method: 'GET', url: `/api/v1/conversations/${conversationId}/messages`, headers: acc.owner.headers })
    ).json().data;
    expect(thread.map((m: { kind: string; body: string }) => [m.kind, m.body])).toEqual([
      ['incoming', "'; drop table messages; --"],
      ['note', expect.stringContaining('lin@example.com')],
    ]);
    expect(await customerOf(acc.accountId, acc.owner.headers)).toMatchObject({ name: 'Lin', email: 'lin@example.com' });
    // The visitor never sees the note.
    const mine = await t().app.inject({ method: 'GET', url: `/api/v1/widget/${web}/messages`, headers: v.headers });
    expect(mine.json().data.messages).toHaveLength(1);
  });

  it('requires an email and a message, and answers 401 before looking at the body', async () => {
    const acc = await createAccount(t());
    const web = await createWebChannel(t(), acc.accountId);
    const v = await startSession(t(), web);
    const before = await counts(acc.accountId);
    for (const payload of [
      { body: 'Hi', clientMessageId: 'o-1' },
      { body: 'Hi', clientMessageId: 'o-2', email: 'nope' },
      { body: ' ', clientMessageId: 'o-3', email: 'a@example.com' },
    ]) {
      expect((await offline(web, v, payload)).statusCode, JSON.stringify(payload)).toBe(422);
    }
    expect((await offline(web, null, { body: 'Hi', clientMessageId: 'o-4', email: 'a@example.com' })).statusCode).toBe(401);
    expect(await counts(acc.accountId)).toEqual(before);
    // The ordinary send path is unchanged: no tag for a chat message.
    const sent = (await sendAsVisitor(t(), web, v, { body: 'Hi', clientMessageId: 'o-5' })).json().data.message;
    const [row] = await withSystem(t().database.db, (tx) =>
      tx
        .select()
        .from(messages)
        .where(and(eq(messages.accountId, acc.accountId), eq(messages.id, sent.id))),
    );
    expect(row!.kind).toBe('incoming');
  });
});
