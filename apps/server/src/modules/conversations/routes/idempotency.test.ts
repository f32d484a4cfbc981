import { describe, expect, it } from 'vitest';
import { createAccount, createApiKeyHeaders } from '../../../../test/factories';
import { useTestApp } from '../../../../test/harness';
import { countsOf } from '../test-support';

const t = useTestApp();

const body = { customer: { name: 'Ann', email: 'ann@example.test' }, subject: 'Order 1042', message: { body: 'Where is it?' } };
const post = (headers: Record<string, string>, key: string | undefined, payload: unknown = body) =>
  t().app.inject({
    method: 'POST',
    url: '/api/v1/conversations',
    headers: key === undefined ? headers : { ...headers, 'idempotency-key': key },
    payload: payload as Record<string, unknown>,
  });

describe('POST /conversations with Idempotency-Key', () => {
  it('a retry with the same key and body gets the same conversation back, and nothing new is written', async () => {
    const acc = await createAccount(t());
    const headers = await createApiKeyHeaders(t(), acc.accountId, 'agent');
    const first = await post(headers, 'order-1042-create');
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const before = await countsOf(t(), acc.accountId);
    // The same body with its keys in another order is the same request.
    const again = await post(headers, 'order-1042-create', { message: body.message, subject: body.subject, customer: body.customer });
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().data.conversation.id).toBe(first.json().data.conversation.id);
    expect(again.json().data.message.id).toBe(first.json().data.message.id);
    expect(await countsOf(t(), acc.accountId)).toEqual(before);
    // Without a key, or with another one, it is a new conversation.
    expect((await post(headers, undefined)).json().data.conversation.number).toBe(2);
    expect((await post(headers, 'another-key')).json().data.conversation.number).toBe(3);
  });

  it('the same key with another body is refused with 409 and changes nothing', async () => {
    const acc = await createAccount(t());
    const headers = await createApiKeyHeaders(t(), acc.accountId, 'agent');
    await post(headers, 'k1');
    const before = await countsOf(t(), acc.accountId);
    const res = await post(headers, 'k1', { ...body, subject: 'Order 1043' });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'conflict', detail: expect.stringMatching(/Idempotency-Key/) });
    expect(await countsOf(t(), acc.accountId)).toEqual(before);
  });

  it('ten concurrent requests with one key create one conversation; keys are per account; bad keys are 422', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const headers = await createApiKeyHeaders(t(), acc.accountId, 'agent');
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(headers, 'burst')));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.json().data.conversation.id)).size).toBe(1);
    expect((await countsOf(t(), acc.accountId)).conversations).toBe(1);
    // The same key in another account is another request.
    const elsewhere = await post(await createApiKeyHeaders(t(), other.accountId, 'agent'), 'burst');
    expect(elsewhere.statusCode).toBe(201);
    expect(elsewhere.json().data.conversation.id).not.toBe(answers[0]!.json().data.conversation.id);
    for (const bad of ['', 'has space', 'x'.repeat(256), 'naïve']) {
      const res = await post(headers, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(422);
    }
    expect((await countsOf(t(), acc.accountId)).conversations).toBe(1);
  });
});
