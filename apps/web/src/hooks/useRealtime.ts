import { useEffect, useLayoutEffect, useRef, useSyncExternalStore } from 'react';
import type { RealtimeEvent } from '../api/types';

/**
 * One WebSocket per tab to /api/v1/realtime, authenticated by the session cookie. Components declare the topics
 * they need (`account:<id>`, `conversation:<id>`); topics are reference-counted and re-subscribed after every
 * reconnect. Reconnects back off exponentially (with jitter) up to 30 s; after a drop, `onResync` lets views
 * refetch what they may have missed while offline.
 */
export type RealtimeStatus = 'idle' | 'connecting' | 'live' | 'offline';

type Handler = { onEvent: (e: RealtimeEvent) => void; onResync?: () => void };

class RealtimeConnection {
  private ws: WebSocket | null = null;
  private readonly topics = new Map<string, number>();
  private readonly confirmed = new Set<string>();
  private readonly handlers = new Set<{ current: Handler }>();
  private readonly statusListeners = new Set<() => void>();
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private hadConnection = false;
  status: RealtimeStatus = 'idle';

  subscribeStatus = (l: () => void) => (this.statusListeners.add(l), () => void this.statusListeners.delete(l));

  addHandler(h: { current: Handler }): () => void {
    this.handlers.add(h);
    return () => void this.handlers.delete(h);
  }

  acquire(topic: string): void {
    const n = this.topics.get(topic) ?? 0;
    this.topics.set(topic, n + 1);
    if (n === 0) this.send({ type: 'subscribe', topic });
    this.start();
    this.updateStatus();
  }

  release(topic: string): void {
    const n = this.topics.get(topic) ?? 0;
    if (n > 1) return void this.topics.set(topic, n - 1);
    this.topics.delete(topic);
    this.confirmed.delete(topic);
    this.send({ type: 'unsubscribe', topic });
    this.updateStatus();
  }

  /** On logout: close and forget everything, so the next user starts clean. */
  stop(): void {
    this.stopped = true;
    this.hadConnection = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.ws?.close(1000, 'logout');
    this.ws = null;
    this.confirmed.clear();
    this.setStatus('idle');
  }

  private start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  private connect(): void {
    this.retryTimer = null;
    const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/api/v1/realtime`;
    const ws = new WebSocket(url);
    this.ws = ws;
    this.setStatus('connecting');
    ws.onopen = () => {
      this.attempt = 0;
      for (const topic of this.topics.keys()) this.send({ type: 'subscribe', topic });
      if (this.hadConnection) for (const h of this.handlers) h.current.onResync?.();
      this.hadConnection = true;
      this.updateStatus();
    };
    ws.onmessage = (msg) => this.onMessage(msg.data);
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.confirmed.clear();
      if (this.stopped) return;
      this.setStatus('offline');
      // 4401: the session is gone; retrying cannot help until the user signs in again.
      if (e.code === 4401) return void (this.stopped = true);
      const delay = Math.min(30_000, 500 * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
      this.attempt++;
      this.retryTimer = setTimeout(() => this.connect(), delay);
    };
  }

  private onMessage(data: unknown): void {
    let msg: { type?: string; topic?: string; event?: RealtimeEvent };
    try {
      msg = JSON.parse(String(data));
    } catch {
      return;
    }
    if ((msg.type === 'subscribed' || (msg.type === 'error' && msg.topic)) && msg.topic) {
      // A refused topic is settled too: the status should not hang on "connecting" because of it.
      this.confirmed.add(msg.topic);
      this.updateStatus();
    } else if (msg.type === 'event' && msg.event) {
      for (const h of this.handlers) h.current.onEvent(msg.event);
    }
  }

  private send(msg: object): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  private updateStatus(): void {
    if (this.stopped) return;
    if (this.ws?.readyState !== WebSocket.OPEN) return;
    const settled = [...this.topics.keys()].every((t) => this.confirmed.has(t));
    this.setStatus(settled ? 'live' : 'connecting');
  }

  private setStatus(s: RealtimeStatus): void {
    if (this.status === s) return;
    this.status = s;
    for (const l of this.statusListeners) l();
  }
}

export const realtime = new RealtimeConnection();

export function useRealtimeStatus(): RealtimeStatus {
  return useSyncExternalStore(realtime.subscribeStatus, () => realtime.status);
}

/** Subscribe to topics (falsy entries are ignored) and receive their events while the component is mounted. */
export function useRealtime(
  topics: (string | null | undefined)[],
  onEvent: (e: RealtimeEvent) => void,
  onResync?: () => void,
): RealtimeStatus {
  const handler = useRef<Handler>({ onEvent, onResync });
  useLayoutEffect(() => {
    handler.current = { onEvent, onResync };
  });
  useEffect(() => realtime.addHandler(handler), []);
  const key = topics.filter(Boolean).join('|');
  useEffect(() => {
    const list = key ? key.split('|') : [];
    for (const t of list) realtime.acquire(t);
    return () => {
      for (const t of list) realtime.release(t);
    };
  }, [key]);
  return useRealtimeStatus();
}
