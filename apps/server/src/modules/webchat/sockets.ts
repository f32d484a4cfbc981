import type { VisitorMessage, WidgetSocketMessage } from '@touchpoint/shared';
import type { WebSocket } from 'ws';
import type { StoredEvent } from '../../platform/events';
import { presentVisitorMessage, type VisitorMessageRow } from './presenters';
import type { VisitorRow } from './queries';

type LiveSocket = WebSocket & { isAlive?: boolean };

/**
 * The visitors' WebSockets, keyed by account, customer and channel. Fed by an EventBus commit hook (after
 * COMMIT, like the agents' hub), it pushes the messages of the visitor's conversations on that channel: agent and
 * bot replies, and the visitor's own messages (for their other tabs). Notes never leave: only `message.created`
 * events with an incoming or outgoing message pass. In process only: with several server nodes a visitor
 * connected to another node than the replying agent misses the push and catches up on its next history fetch.
 */
export class VisitorSockets {
  private readonly byKey = new Map<string, Set<LiveSocket>>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
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
    // The widget sends nothing but keep-alives; anything it sends is ignored, so the socket cannot be used to write.
    socket.on('message', () => undefined);
    send(socket, { type: 'hello' });
  }

  /** Commit hook: must not throw or block. */
  onCommitted(events: StoredEvent[]): void {
    if (this.byKey.size === 0) return;
    for (const e of events) {
      if (e.type !== 'message.created' || !e.customerId) continue;
      const m = e.payload.message as (VisitorMessageRow & { channelId?: string }) | undefined;
      const conv = e.payload.conversation as { channelId?: string } | undefined;
      if (!m || (m.kind !== 'incoming' && m.kind !== 'outgoing') || !conv?.channelId) continue;
      const set = this.byKey.get(VisitorSockets.key(e.accountId, e.customerId, conv.channelId));
      if (!set) continue;
      const message: VisitorMessage = presentVisitorMessage(m);
      for (const s of set) send(s, { type: 'message', message });
    }
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

function send(socket: WebSocket, msg: WidgetSocketMessage): void {
  if (socket.readyState === 1) socket.send(JSON.stringify(msg));
}
