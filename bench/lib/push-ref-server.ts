import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** The frames ours sent for one visitor message, captured during setup: R2 sends the same bytes, body swapped. */
export interface FrameTemplates {
  /** `{type:'event', topic, event}` as an agent socket received it (message.created). */
  agent: { type: 'event'; topic: string; event: { payload: { message: Record<string, unknown> } & Record<string, unknown> } };
  /** `{type:'message', message}` as the visitor's socket received it. */
  visitor: { type: 'message'; message: Record<string, unknown> };
}

export interface RefVisitor {
  token: string;
  conversationId: string;
}

export interface RefServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * R2 (BENCHMARKS W2): the push path without the product. A bare `node:http` server and a `ws` server (the options
 * ours gives @fastify/websocket) on the same URLs as ours, so the load children run unchanged against either:
 * agent sockets on /api/v1/realtime (hello, subscribe -> subscribed), visitor sockets on
 * /api/v1/widget/:channel/ws?token= (hello). A visitor POST or an agent reply POST is parsed, answered 201, and its
 * message pushed as ours pushes it: the agent frame to every subscribed agent socket (serialised once), the visitor
 * frame to that visitor's sockets. No database, no auth beyond a map lookup, no commit.
 */
export async function startRefServer(visitors: RefVisitor[], templates: FrameTemplates): Promise<RefServer> {
  const byToken = new Map(visitors.map((v, i) => [v.token, i]));
  const byConversation = new Map(visitors.map((v, i) => [v.conversationId, i]));
  const agents = new Set<WebSocket>();
  const visitorSockets = visitors.map(() => new Set<WebSocket>());
  let seq = 0;

  const push = (visitor: number, body: string, clientMessageId: unknown, kind: 'incoming' | 'outgoing') => {
    const id = `ref-${seq++}`;
    const message = { ...templates.agent.event.payload.message, id, body, clientMessageId, kind };
    const agentFrame = JSON.stringify({
      ...templates.agent,
      event: { ...templates.agent.event, payload: { ...templates.agent.event.payload, message } },
    });
    for (const s of agents) if (s.readyState === 1) s.send(agentFrame);
    const from = kind === 'incoming' ? 'visitor' : 'agent';
    const visitorFrame = JSON.stringify({ type: 'message', message: { ...templates.visitor.message, id, body, clientMessageId, from } });
    for (const s of visitorSockets[visitor]!) if (s.readyState === 1) s.send(visitorFrame);
    return { id, body, clientMessageId, from };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, data: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(data));
      };
      let input: { body?: unknown; clientMessageId?: unknown };
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof input;
      } catch {
        return answer(400, { error: 'bad json' });
      }
      const url = req.url ?? '';
      let visitor: number | undefined;
      let kind: 'incoming' | 'outgoing' = 'incoming';
      if (url.startsWith('/api/v1/widget/')) {
        visitor = byToken.get(/^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
      } else {
        visitor = byConversation.get(/^\/api\/v1\/conversations\/([^/]+)\/messages$/.exec(url)?.[1] ?? '');
        kind = 'outgoing';
      }
      if (visitor === undefined || req.method !== 'POST' || typeof input.body !== 'string') return answer(404, { error: 'not found' });
      answer(201, { data: { duplicate: false, message: push(visitor, input.body, input.clientMessageId, kind) } });
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://ref');
    const visitor = url.pathname.startsWith('/api/v1/widget/') ? byToken.get(url.searchParams.get('token') ?? '') : undefined;
    if (url.pathname !== '/api/v1/realtime' && visitor === undefined) return void socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (visitor !== undefined) {
        visitorSockets[visitor]!.add(ws);
        ws.on('close', () => visitorSockets[visitor]!.delete(ws));
        ws.send(JSON.stringify({ type: 'hello' }));
        return;
      }
      ws.on('close', () => agents.delete(ws));
      ws.on('message', (raw) => {
        const msg = JSON.parse(String(raw)) as { type?: string; topic?: string };
        if (msg.type !== 'subscribe') return;
        agents.add(ws);
        ws.send(JSON.stringify({ type: 'subscribed', topic: msg.topic }));
      });
      ws.send(JSON.stringify({ type: 'hello', actor: { kind: 'user' } }));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
