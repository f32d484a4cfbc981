import { describe, expect, it } from 'vitest';
import { createAccount, createApiKeyHeaders, createTeam, createUser } from '../../../../test/factories';
import { useTestApp } from '../../../../test/harness';
import { countsOf, eventsOf, startConversation } from '../test-support';

const t = useTestApp();

describe('POST /conversations', () => {
  it('creates a conversation with an inline customer, the API channel and number 1', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const res = await t().app.inject({
      method: 'POST',
      url: '/api/v1/conversations',
      headers: agent.headers,
      payload: {
        customer: { name: 'Ann', email: 'Ann@Example.test' },
        subject: 'Late order',
        tags: [' Billing ', 'billing', 'VIP'],
        message: { body: 'Where is my parcel?' },
      },
    });
    expect(res.statusCode).toBe(201);
    const { conversation, message } = res.json().data;
    expect(conversation).toMatchObject({
      number: 1,
      status: 'open',
      priority: 'normal',
      subject: 'Late order',
      channelId: acc.apiChannelId,
      tags: ['billing', 'vip'],
      messageCount: 1,
      lastMessagePreview: 'Where is my parcel?',
      customer: { name: 'Ann', email: 'ann@example.test' },
    });
    expect(conversation.waitingSince).toBe(message.createdAt);
    expect(message).toMatchObject({
      kind: 'incoming',
      authorKind: 'customer',
      authorCustomerId: conversation.customerId,
      body: 'Where is my parcel?',
    });
    expect(res.json().policies[0].abilities).toMatchObject({ read: true, reply: true, assign: true });
    const types = (await eventsOf(t(), acc.accountId, conversation.id)).map((e) => e.type);
    expect(types).toEqual(['conversation.created', 'message.created']);
  });

  it('reuses the customer found by an identity, and takes customerId directly', async () => {
    const acc = await createAccount(t());
    const first = await startConversation(t(), acc.owner.headers, { customer: { email: 'same@example.test' } });
    const second = await startConversation(t(), acc.owner.headers, { customer: { email: 'SAME@example.test', name: 'ignored' } });
    expect(second.conversation.customerId).toBe(first.conversation.customerId);
    const third = await startConversation(t(), acc.owner.headers, { customer: undefined, customerId: first.conversation.customerId });
    expect(third.conversation).toMatchObject({ customerId: first.conversation.customerId, number: 3 });
  });

  it('an agent-initiated (outgoing) first message is by the agent and starts no wait', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const { conversation, message } = await startConversation(t(), agent.headers, {
      message: { body: 'Your order shipped', kind: 'outgoing' },
    });
    expect(message).toMatchObject({ kind: 'outgoing', authorKind: 'agent', authorUserId: agent.userId, authorCustomerId: null });
    expect(conversation).toMatchObject({ waitingSince: null, firstResponseAt: null, lastAgentReplyAt: message.createdAt });
  });

  it('an API key writes as agent without a user', async () => {
    const acc = await createAccount(t());
    const key = await createApiKeyHeaders(t(), acc.accountId, 'agent');
    const { message } = await startConversation(t(), key, { message: { body: 'Hi from the API', kind: 'outgoing' } });
    expect(message).toMatchObject({ authorKind: 'agent', authorUserId: null });
  });

  it('assigns to a team and an agent on creation', async () => {
    const acc = await createAccount(t());
    const teamId = await createTeam(t(), acc.accountId);
    const agent = await createUser(t(), acc.accountId, 'agent');
    const { conversation } = await startConversation(t(), acc.owner.headers, { teamId, assigneeId: agent.userId, priority: 'high' });
    expect(conversation).toMatchObject({ teamId, assigneeId: agent.userId, priority: 'high' });
  });

  it('401 without credentials', async () => {
    const res = await t().app.inject({ method: 'POST', url: '/api/v1/conversations', payload: { customer: {}, message: { body: 'x' } } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('403 for an analyst, nothing written', async () => {
    const acc = await createAccount(t());
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const before = await countsOf(t(), acc.accountId);
    const res = await t().app.inject({
      method: 'POST',
      url: '/api/v1/conversations',
      headers: analyst.headers,
      payload: { customer: { name: 'X' }, message: { body: 'x' } },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('forbidden');
    expect(await countsOf(t(), acc.accountId)).toEqual(before);
  });

  it('422 for bad input with nothing written (no customer, empty body, both customer forms, bad kind, other tenant ids)', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const { conversation: foreign } = await startConversation(t(), other.owner.headers);
    const foreignTeam = await createTeam(t(), other.accountId);
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const before = await countsOf(t(), acc.accountId);
    const bad: [Record<string, unknown>, string][] = [
      [{ message: { body: 'x' } }, 'body.customerId'],
      [{ customer: { name: 'A' }, message: { body: '   ' } }, 'body.message.body'],
      [{ customer: { name: 'A' }, customerId: foreign.customerId, message: { body: 'x' } }, 'body.customerId'],
      [{ customer: { name: 'A' }, message: { body: 'x', kind: 'shout' } }, 'body.message.kind'],
      [{ customerId: foreign.customerId, message: { body: 'x' } }, 'customerId'],
      [{ customer: { name: 'A' }, channelId: foreign.channelId, message: { body: 'x' } }, 'channelId'],
      [{ customer: { name: 'A' }, teamId: foreignTeam, message: { body: 'x' } }, 'teamId'],
      [{ customer: { name: 'A' }, assigneeId: other.owner.userId, message: { body: 'x' } }, 'assigneeId'],
      [{ customer: { name: 'A' }, assigneeId: analyst.userId, message: { body: 'x' } }, 'assigneeId'],
      [{ customer: { name: 'A' }, tags: Array.from({ length: 51 }, (_, i) => `t${i}`), message: { body: 'x' } }, 'body.tags'],
      [{ customer: { name: 'A' }, message: { body: 'x'.repeat(100_001) } }, 'body.message.body'],
    ];
    for (const [payload, path] of bad) {
      const res = await t().app.inject({ method: 'POST', url: '/api/v1/conversations', headers: acc.owner.headers, payload });
      expect(res.statusCode, JSON.stringify(payload).slice(0, 100)).toBe(422);
      expect(res.json().code).toBe('validation_failed');
      expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    expect(await countsOf(t(), acc.accountId)).toEqual(before);
  });

  it('400 for malformed JSON, nothing written', async () => {
    const acc = await createAccount(t());
    const before = await countsOf(t(), acc.accountId);
    const res = await t().app.inject({
      method: 'POST',
      url: '/api/v1/conversations',
      headers: { ...acc.owner.headers, 'content-type': 'application/json' },
      payload: '{"customer": {',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('bad_request');
    expect(await countsOf(t(), acc.accountId)).toEqual(before);
  });

  it('stores SQL injection and <script> payloads verbatim and returns them as JSON text', async () => {
    const acc = await createAccount(t());
    const evil = `'); DROP TABLE conversations; -- <script>alert("x")</script>`;
    const { conversation, message } = await startConversation(t(), acc.owner.headers, {
      subject: evil,
      customer: { name: evil },
      message: { body: evil },
    });
    expect(message.body).toBe(evil);
    const res = await t().app.inject({ url: `/api/v1/conversations/${conversation.id}`, headers: acc.owner.headers });
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json().data).toMatchObject({ subject: evil, lastMessagePreview: evil, customer: { name: evil } });
  });
});

describe('GET /conversations/:id and /conversations/by-number/:number', () => {
  it('returns the conversation with its customer summary', async () => {
    const acc = await createAccount(t());
    const { conversation } = await startConversation(t(), acc.owner.headers, { customer: { name: 'Bo', email: 'bo@example.test' } });
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const byId = await t().app.inject({ url: `/api/v1/conversations/${conversation.id}`, headers: analyst.headers });
    expect(byId.statusCode).toBe(200);
    expect(byId.json().data.customer).toEqual({ id: conversation.customerId, name: 'Bo', email: 'bo@example.test', phone: null });
    expect(byId.json().policies[0].abilities).toMatchObject({ read: true, reply: false, change_status: false });
    const byNumber = await t().app.inject({ url: `/api/v1/conversations/by-number/${conversation.number}`, headers: analyst.headers });
    expect(byNumber.json().data.id).toBe(conversation.id);
  });

  it('401 without credentials, 404 for another tenant, 404 for an unknown number, 422 for a bad id', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const { conversation } = await startConversation(t(), other.owner.headers);
    expect((await t().app.inject({ url: `/api/v1/conversations/${conversation.id}` })).statusCode).toBe(401);
    const res = await t().app.inject({ url: `/api/v1/conversations/${conversation.id}`, headers: acc.owner.headers });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('not_found');
    expect(
      (await t().app.inject({ url: `/api/v1/conversations/by-number/${conversation.number}`, headers: acc.owner.headers })).statusCode,
    ).toBe(404);
    expect((await t().app.inject({ url: '/api/v1/conversations/not-a-uuid', headers: acc.owner.headers })).statusCode).toBe(422);
  });
});

describe('PATCH /conversations/:id', () => {
  it('changes subject and priority, merges custom attributes, emits events', async () => {
    const acc = await createAccount(t());
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const url = `/api/v1/conversations/${conversation.id}`;
    let res = await t().app.inject({
      method: 'PATCH',
      url,
      headers: acc.owner.headers,
      payload: { subject: 'Refund', priority: 'urgent', customAttributes: { plan: 'pro', seats: 3 } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ subject: 'Refund', priority: 'urgent', customAttributes: { plan: 'pro', seats: 3 } });
    res = await t().app.inject({
      method: 'PATCH',
      url,
      headers: acc.owner.headers,
      payload: { customAttributes: { seats: null, region: 'eu' } },
    });
    expect(res.json().data.customAttributes).toEqual({ plan: 'pro', region: 'eu' });
    const types = (await eventsOf(t(), acc.accountId, conversation.id)).map((e) => e.type);
    expect(types.filter((x) => x === 'conversation.updated')).toHaveLength(2);
    expect(types.filter((x) => x === 'conversation.priority_changed')).toHaveLength(1);
  });

  it('404 for another tenant, 403 for an analyst, 422 for bad input, nothing changed', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const url = `/api/v1/conversations/${conversation.id}`;
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const before = await countsOf(t(), acc.accountId);
    expect((await t().app.inject({ method: 'PATCH', url, payload: { subject: 'x' } })).statusCode).toBe(401);
    expect((await t().app.inject({ method: 'PATCH', url, headers: other.owner.headers, payload: { subject: 'x' } })).statusCode).toBe(404);
    expect((await t().app.inject({ method: 'PATCH', url, headers: analyst.headers, payload: { subject: 'x' } })).statusCode).toBe(403);
    for (const payload of [{}, { priority: 'asap' }, { subject: 'x'.repeat(256) }, { customAttributes: 'no' }]) {
      expect((await t().app.inject({ method: 'PATCH', url, headers: acc.owner.headers, payload })).statusCode).toBe(422);
    }
    const huge = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 'v'.repeat(500)]));
    expect(
      (await t().app.inject({ method: 'PATCH', url, headers: acc.owner.headers, payload: { customAttributes: huge } })).statusCode,
    ).toBe(422);
    expect(await countsOf(t(), acc.accountId)).toEqual(before);
    const res = await t().app.inject({ url, headers: acc.owner.headers });
    expect(res.json().data).toMatchObject({ subject: null, priority: 'normal', customAttributes: {} });
  });
});

describe('PUT /conversations/:id/tags', () => {
  it('normalises tags and emits tags_changed with what was added and removed', async () => {
    const acc = await createAccount(t());
    const { conversation } = await startConversation(t(), acc.owner.headers, { tags: ['old'] });
    const url = `/api/v1/conversations/${conversation.id}/tags`;
    const res = await t().app.inject({
      method: 'PUT',
      url,
      headers: acc.owner.headers,
      payload: { tags: ['  Refund ', 'REFUND', 'vip', ''] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.tags).toEqual(['refund', 'vip']);
    const ev = (await eventsOf(t(), acc.accountId, conversation.id)).find((e) => e.type === 'conversation.tags_changed');
    expect(ev?.payload).toMatchObject({ added: ['refund', 'vip'], removed: ['old'] });
    // The same tags again change nothing and emit nothing.
    await t().app.inject({ method: 'PUT', url, headers: acc.owner.headers, payload: { tags: ['refund', 'VIP'] } });
    expect((await eventsOf(t(), acc.accountId, conversation.id)).filter((e) => e.type === 'conversation.tags_changed')).toHaveLength(1);
  });

  it('rejects too many or too long tags (422), analysts (403), other tenants (404); tags unchanged', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const { conversation } = await startConversation(t(), acc.owner.headers, { tags: ['keep'] });
    const url = `/api/v1/conversations/${conversation.id}/tags`;
    const tooMany = Array.from({ length: 51 }, (_, i) => `t${i}`);
    expect((await t().app.inject({ method: 'PUT', url, headers: acc.owner.headers, payload: { tags: tooMany } })).statusCode).toBe(422);
    expect((await t().app.inject({ method: 'PUT', url, headers: acc.owner.headers, payload: { tags: ['x'.repeat(65)] } })).statusCode).toBe(
      422,
    );
    expect((await t().app.inject({ method: 'PUT', url, headers: analyst.headers, payload: { tags: ['a'] } })).statusCode).toBe(403);
    expect((await t().app.inject({ method: 'PUT', url, headers: other.owner.headers, payload: { tags: ['a'] } })).statusCode).toBe(404);
    expect((await t().app.inject({ method: 'PUT', url, payload: { tags: ['a'] } })).statusCode).toBe(401);
    const res = await t().app.inject({ url: `/api/v1/conversations/${conversation.id}`, headers: acc.owner.headers });
    expect(res.json().data.tags).toEqual(['keep']);
  });
});

describe('POST /conversations/:id/assignment', () => {
  it('assigns an agent and a team, then unassigns; the event carries previous and new values', async () => {
    const acc = await createAccount(t());
    const teamId = await createTeam(t(), acc.accountId);
    const agent = await createUser(t(), acc.accountId, 'agent');
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const url = `/api/v1/conversations/${conversation.id}/assignment`;
    let res = await t().app.inject({ method: 'POST', url, headers: agent.headers, payload: { assigneeId: agent.userId, teamId } });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ assigneeId: agent.userId, teamId });
    res = await t().app.inject({ method: 'POST', url, headers: agent.headers, payload: { assigneeId: null } });
    expect(res.json().data).toMatchObject({ assigneeId: null, teamId });
    const assigned = (await eventsOf(t(), acc.accountId, conversation.id)).filter((e) => e.type === 'conversation.assigned');
    expect(assigned.map((e) => e.payload)).toMatchObject([
      { previous: { assigneeId: null, teamId: null }, assigneeId: agent.userId, teamId },
      { previous: { assigneeId: agent.userId, teamId }, assigneeId: null, teamId },
    ]);
  });

  it('refuses analysts as assignees, unknown teams, other tenants; analysts may not assign', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const foreignTeam = await createTeam(t(), other.accountId);
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const url = `/api/v1/conversations/${conversation.id}/assignment`;
    const before = await countsOf(t(), acc.accountId);
    const h = acc.owner.headers;
    const expectError = async (headers: Record<string, string> | undefined, payload: unknown, status: number) =>
      expect((await t().app.inject({ method: 'POST', url, headers, payload: payload as object })).statusCode).toBe(status);
    await expectError(h, { assigneeId: analyst.userId }, 422);
    await expectError(h, { assigneeId: other.owner.userId }, 422);
    await expectError(h, { teamId: foreignTeam }, 422);
    await expectError(h, {}, 422);
    await expectError(h, { assigneeId: 'me' }, 422);
    await expectError(analyst.headers, { assigneeId: acc.owner.userId }, 403);
    await expectError(other.owner.headers, { assigneeId: other.owner.userId }, 404);
    await expectError(undefined, { assigneeId: null }, 401);
    expect(await countsOf(t(), acc.accountId)).toEqual(before);
  });
});
