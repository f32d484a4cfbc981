import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { createAccount, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { connectVisitor, createWebChannel, handshakeStatus, sendAsVisitor, startSession } from './test-support';

const t = useTestApp();
let wsBase = '';
const open: WebSocket[] = [];

beforeAll(async () => {
  wsBase = (await t().app.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws');
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

describe('widget WebSocket', () => {
  it("pushes the agent's reply to the visitor's socket, but not a note, and not to another visitor", async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const web = await createWebChannel(t(), acc.accountId);
    const ann = await startSession(t(), web);
    const bob = await startSession(t(), web);
    const sent = (await sendAsVisitor(t(), web, ann, { body: 'Is the jacket waterproof?', clientMessageId: 'c-1' })).json().data.message;
    await sendAsVisitor(t(), web, bob, { body: 'Bob here', clientMessageId: 'c-2' });
    const annSocket = await connectVisitor(wsBase, web, ann.token);
    const bobSocket = await connectVisitor(wsBase, web, bob.token);
    open.push(annSocket.socket, bobSocket.socket);

    const url = `/api/v1/conversations/${sent.conversationId}/messages`;
    const note = await t().app.inject({
      method: 'POST',
      url,
      headers: agent.headers,
      payload: { kind: 'note', body: 'Internal: check stock' },
    });
    expect(note.statusCode).toBe(201);
    const reply = await t().app.inject({
      method: 'POST',
      url,
      headers: agent.headers,
      payload: { kind: 'outgoing', body: 'Yes, fully taped seams.' },
    });
    expect(reply.statusCode).toBe(201);

    const frame = await annSocket.next((f) => f.type === 'message', 'the reply');
    expect(frame.message).toMatchObject({ id: reply.json().data.id, from: 'agent', body: 'Yes, fully taped seams.' });
    expect(JSON.stringify(frame)).not.toContain(agent.userId);
    // The note was committed before the reply, so had it been pushed it would have arrived first.
    expect(annSocket.frames.filter((f) => f.type === 'message')).toEqual([]);
    expect(bobSocket.frames.filter((f) => f.type === 'message')).toEqual([]);
  });

  it('refuses the handshake without a valid token for the channel (401) and for a non-web channel (404)', async () => {
    const acc = await createAccount(t());
    const web = await createWebChannel(t(), acc.accountId);
    const other = await createWebChannel(t(), acc.accountId);
    const v = await startSession(t(), web);
    expect(await handshakeStatus(`${wsBase}/api/v1/widget/${web}/ws`)).toBe(401);
    expect(await handshakeStatus(`${wsBase}/api/v1/widget/${web}/ws?token=wrong`)).toBe(401);
    expect(await handshakeStatus(`${wsBase}/api/v1/widget/${other}/ws?token=${v.token}`)).toBe(401);
    expect(await handshakeStatus(`${wsBase}/api/v1/widget/${acc.apiChannelId}/ws?token=${v.token}`)).toBe(404);
  });
});
