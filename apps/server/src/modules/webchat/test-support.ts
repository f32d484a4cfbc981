import { uuidv7 } from 'uuidv7';
import WebSocket from 'ws';
import { channels } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import type { TestApp } from '../../../test/harness';
import { openFrameSocket } from '../../../test/ws-frames';

/** createAccount() makes an API channel only; sign-up also makes the web one, which these tests need. */
export async function createWebChannel(t: TestApp, accountId: string, kind = 'web'): Promise<string> {
  const id = uuidv7();
  await withSystem(t.database.db, (tx) => tx.insert(channels).values({ id, accountId, kind, name: `Channel ${kind}` }));
  return id;
}

export interface Visitor {
  token: string;
  headers: { authorization: string };
}

export async function startSession(t: TestApp, channelId: string): Promise<Visitor> {
  const res = await t.app.inject({ method: 'POST', url: `/api/v1/widget/${channelId}/sessions` });
  if (res.statusCode !== 201) throw new Error(`session: ${res.statusCode} ${res.body}`);
  const token = (res.json() as { data: { token: string } }).data.token;
  return { token, headers: { authorization: `Bearer ${token}` } };
}

export function sendAsVisitor(t: TestApp, channelId: string, v: Visitor | null, payload: unknown) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/widget/${channelId}/messages`,
    headers: v?.headers ?? {},
    payload: payload as object,
  });
}

type Frame = { type: string; message?: { id: string; body: string; from: string } };

/** A visitor's real WebSocket that queues frames, so a test can wait for one or check none arrived. */
export async function connectVisitor(wsBase: string, channelId: string, token: string) {
  return openFrameSocket<Frame>(`${wsBase}/api/v1/widget/${channelId}/ws?token=${encodeURIComponent(token)}`);
}

/** The HTTP status a refused WebSocket handshake answered with. */
export function handshakeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = new WebSocket(url);
    s.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      s.terminate();
    });
    s.on('open', () => {
      s.close();
      reject(new Error('the handshake was accepted'));
    });
    s.on('error', () => undefined);
  });
}
