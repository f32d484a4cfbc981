import type { TestApp } from '../../../test/harness';

/** Test helpers for the conversations module (not a test file itself). */

type Headers = Record<string, string>;

export async function postMessage(t: TestApp, headers: Headers, conversationId: string, payload: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/messages`, headers, payload });
}

export { countsOf, eventsOf, startConversation } from '../../../test/rows';
