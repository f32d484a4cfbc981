import type { VisitorMessage, WidgetSocketMessage } from '@touchpoint/shared';
import type { WebSocket } from 'ws';
import type { WireEventBody } from '../../platform/realtime';
import { presentVisitorMessage, type VisitorMessageRow } from './presenters';
import type { VisitorRow } from './queries';

type LiveSocket = WebSocket & { isAlive?: boolean; lastTypingAt?: number };

/** The ephemeral signal of someone typing in a conversation (never stored), sent through the hub's pub/sub port. */
export { TYPING_SIGNAL } from '@touchpoint/shared';
import { TYPING_SIGNAL } from '@touchpoint/shared';
/** At most one typing signal per socket per this many ms, whatever the widget sends. */
const TYPING_MIN_INTERVAL_MS = 1_000;

/**
 * The visitors' WebSockets, keyed by account, customer and channel. Fed by an observer of the realtime hub, i.e.
 * after the pub/sub hop, so a visitor connected to any node gets what was committed on any other: the messages of
 * their conversations on that channel (agent and bot replies, and their own messages for their other tabs), the
 * agents' typing signals and read markers. Notes never leave: only `message.created` events with an incoming or
 * outgoing message pass.
 */
export class VisitorSockets {
  private readonly byKey = new Map<string, Set<LiveSocket>>();
  private readonly heartbeat: NodeJS.Timeout;

  /** `onTyping` is called (throttled) when a visitor's socket says they are typing. */
  constructor(private readonly onTyping: (v: VisitorRow) => void = () => undefined) {
    // Half-open TCP connections (a laptop lid closed) never send close; ping them out so the map does not leak.
    this.heartbeat = setInterval(() => {
      for (const set of this.byKey.values())
        for (const s of set) {
          if (s.isAlive === false) s.terminate();
          else {
            s.isAlive = false;
            s.ping();
          }
        }
    }, 30_000);
    this.heartbeat.unref();
  }

  private static key(accountId: string, customerId: string, channelId: string): string {
    return `${accountId}:${customerId}:${channelId}`;
  }

  accept(socket: LiveSocket, v: VisitorRow): void {
    const key = VisitorSockets.key(v.accountId, v.customerId, v.channelId);
    let set = this.byKey.get(key);
    if (!set) this.byKey.set(key, (set = new Set()));
    set.add(socket);
    socket.isAlive = true;
    socket.on('pong', () => (socket.isAlive = true));
    const drop = () => {
      set.delete(socket);
      if (set.size === 0 && this.byKey.get(key) === set) this.byKey.delete(key);
    };
    socket.on('close', drop);
    socket.on('error', drop);
    // The only thing a visitor may say here is "typing"; anything else is ignored, so the socket cannot write data.
    socket.on('message', (raw) => {
      if (String(raw).length > 100 || !/^\{"type":"typing"\}$/.test(String(raw))) return;
      const now = Date.now();
      if (socket.lastTypingAt && now - socket.lastTypingAt < TYPING_MIN_INTERVAL_MS) return;
      socket.lastTypingAt = now;
      this.onTyping(v);
    });
    send(socket, { type: 'hello' });
  }

  /** Hub observer: must not throw or block. */
  onWireEvent(accountId: string, e: WireEventBody): void {
    if (this.byKey.size === 0 || !e.customerId) return;
    const p = e.payload;
    const channelId = 'conversation' in p && p.conversation ? p.conversation.channelId : 'channelId' in p ? p.channelId : undefined;
    if (typeof channelId !== 'string') return;
    const set = this.byKey.get(VisitorSockets.key(accountId, e.customerId, channelId));
    if (!set) return;
    const out = toVisitor(e);
    if (out) for (const s of set) send(s, out);
  }

  get size(): number {
    let n = 0;
    for (const set of this.byKey.values()) n += set.size;
    return n;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const set of this.byKey.values()) for (const s of set) s.close(1001, 'server shutting down');
    this.byKey.clear();
  }
}

/** What, if anything, the visitor gets of an event about their conversation. */
function toVisitor(e: WireEventBody): WidgetSocketMessage | null {
  if (e.type === 'message.created') {
    const m = e.payload.message;
    if (m.kind !== 'incoming' && m.kind !== 'outgoing') return null;
    const message: VisitorMessage = presentVisitorMessage(m);
    return { type: 'message', message };
  }
  // The agents' own signals only: a visitor's typing goes to the agents, not back to the visitor's tabs.
  if (e.type === TYPING_SIGNAL && e.payload.who === 'agent') return { type: 'typing', name: e.payload.name ?? null };
  if (e.type === 'conversation.read') return { type: 'read', agentReadAt: e.payload.agentReadAt };
  return null;
}

function send(socket: WebSocket, msg: WidgetSocketMessage): void {
  if (socket.readyState === 1) socket.send(JSON.stringify(msg));
}
