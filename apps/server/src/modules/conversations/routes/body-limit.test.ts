import { describe, expect, it } from 'vitest';
import { createAccount } from '../../../../test/factories';
import { useTestApp } from '../../../../test/harness';
import { countsOf, postMessage, startConversation } from '../test-support';

// A small body limit, so "too large" is cheap to send.
const t = useTestApp({ config: { BODY_LIMIT_BYTES: '2048' } });

describe('request bodies over BODY_LIMIT_BYTES', () => {
  it('413 problem+json and nothing written, for new conversations and for messages', async () => {
    const acc = await createAccount(t());
    const { conversation } = await startConversation(t(), acc.owner.headers);
    const before = await countsOf(t(), acc.accountId);
    const big = 'x'.repeat(4096);
    const created = await t().app.inject({
      method: 'POST',
      url: '/api/v1/conversations',
      headers: acc.owner.headers,
      payload: { customer: { name: 'A' }, message: { body: big } },
    });
    expect(created.statusCode).toBe(413);
    expect(created.headers['content-type']).toContain('application/problem+json');
    expect(created.json().code).toBe('payload_too_large');
    const reply = await postMessage(t(), acc.owner.headers, conversation.id, { body: big, kind: 'outgoing' });
    expect(reply.statusCode).toBe(413);
    expect(reply.json().code).toBe('payload_too_large');
    expect(await countsOf(t(), acc.accountId)).toEqual(before);
    // Just under the limit still works.
    expect((await postMessage(t(), acc.owner.headers, conversation.id, { body: 'y'.repeat(1500), kind: 'outgoing' })).statusCode).toBe(201);
  });
});
