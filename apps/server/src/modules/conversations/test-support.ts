import type { TestApp } from '../../../test/harness';

/** Test helpers for the conversations module (not a test file itself). */

type Headers = Record<string, string>;

export async function startConversation(t: TestApp, headers: Headers, body: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/conversations',
    headers,
    payload: {
      ...(body.customerId
        ? {}
        : { customer: { name: 'Dana Customer', email: `dana-${Math.random().toString(36).slice(2)}@example.test` } }),
      message: { body: 'Hello, my order is late' },
      ...body,
    },
  });
  if (res.statusCode !== 201) throw new Error(`create failed ${res.statusCode}: ${res.body}`);
  return res.json().data as {
    conversation: { id: string; number: number; customerId: string; [k: string]: unknown };
    message: { id: string; [k: string]: unknown };
  };
}

export async function postMessage(t: TestApp, headers: Headers, conversationId: string, payload: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/messages`, headers, payload });
}

export { countsOf, eventsOf } from '../../../test/rows';
