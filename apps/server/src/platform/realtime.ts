import { randomUUID } from 'node:crypto';
import type { NewRealtimeSignal, RealtimeEvent } from '@touchpoint/shared';
import type { WebSocket } from 'ws';
import type { Actor } from './context';
import type { StoredEvent } from './events';

/**
 * Pub/sub port between nodes. One node: the in-process adapter. Many nodes: a Redis or NATS adapter with the
 * same shape (one publish per committed batch, never a NOTIFY per message inside a write transaction).
 */
export interface PubSub {
  publish(channel: string, message: string): void;
  subscribe(channel: string, handler: (message: string) => void): () => void;
  close(): Promise<void>;
}

export class InProcessPubSub implements PubSub {
  private readonly handlers = new Map<string, Set<(m: string) => void>>();
  publish(channel: string, message: string): void {
    for (const h of this.handlers.get(channel) ?? []) queueMicrotask(() => h(message));
  }
  subscribe(channel: string, handler: (message: string) => void): () => void {
    let set = this.handlers.get(channel);
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }
  async close(): Promise<void> {
    this.handlers.clear();
  }
}

/** Decides whether an actor may subscribe to `kind:id`; modules register one per topic kind. */
export type TopicAuthorizer = (actor: Actor, id: string) => Promise<boolean>;

/** Which topics an event goes to (account-wide, its team, its conversation). */
export type TopicRouter = (event: StoredEvent) => string[];

/** An event as every node receives it from the pub/sub port (stored events, and ephemeral signals with `id: null`). */
export type WireEventBody = RealtimeEvent;

/** Sees every event on every node (after the pub/sub hop). */
export type WireObserver = (accountId: string, event: WireEventBody) => void;

/** Topics an event reaches that only the receiving node can name (e.g. a visitor's), from the wire body alone. */
export type WireRouter = (accountId: string, event: WireEventBody) => string[];

/**
 * How the hub serves a socket that is not an agent's: fixed topics (no subscribe protocol), what it is sent of each
 * event (null: nothing), and what to do with what it says.
 */
export interface SocketProfile {
  topics: string[];
  frame: (event: WireEventBody) => object | null;
  onText?: (raw: string) => void;
  hello?: object;
}

/** Whose sockets a node counts: an agent's own (a user's, not an API key's) or a web chat visitor's on a channel. */
export type SocketSubject =
  { kind: 'user'; accountId: string; userId: string } | { kind: 'visitor'; accountId: string; customerId: string; channelId: string };

/**
 * Told when a subject's first socket on this node opens and when its last one closes (not while the hub shuts down:
 * then nothing is written, and the rows the observer keeps go stale), and on every heartbeat with the subjects that
 * have a socket here. Calls for one subject run one after another, in order; a failure is the observer's to log.
 */
export interface SocketObserver {
  opened?(subject: SocketSubject): Promise<void>;
  closed?(subject: SocketSubject): Promise<void>;
  alive?(subjects: SocketSubject[]): Promise<void>;
}

const subjectOf = (actor: Actor, profile: SocketProfile | undefined): SocketSubject | null => {
  if (actor.kind === 'user' && !profile) return { kind: 'user', accountId: actor.accountId, userId: actor.userId };
  if (actor.kind === 'customer' && profile)
    return { kind: 'visitor', accountId: actor.accountId, customerId: actor.customerId, channelId: actor.channelId };
  return null;
};

export const subjectKey = (s: SocketSubject): string =>
  s.kind === 'user' ? `user:${s.accountId}:${s.userId}` : `visitor:${s.accountId}:${s.customerId}:${s.channelId}`;

interface Client {
  socket: WebSocket;
  actor: Actor;
  topics: Set<string>;
  profile?: SocketProfile;
  subject: SocketSubject | null;
}

const CHANNEL = 'touchpoint.events';

export class RealtimeHub {
  private readonly clients = new Set<Client>();
  private readonly byTopic = new Map<string, Set<Client>>();
  private readonly authorizers = new Map<string, TopicAuthorizer>();
  private readonly routers: TopicRouter[] = [];
  private readonly wireRouters: WireRouter[] = [];
  private readonly observers: WireObserver[] = [];
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly socketObservers: SocketObserver[] = [];
  /** Open sockets per subject on this node. */
  private readonly subjects = new Map<string, { subject: SocketSubject; sockets: number }>();
  /** The tail of each subject's observer calls, so they run in order (opened before closed). */
  private readonly observing = new Map<string, Promise<void>>();
  private closing = false;
  /** This process's id among the nodes sharing the database (observers key their rows by it). */
  readonly nodeId = randomUUID();
  delivered = 0;
  /** Observer calls that threw (the observer logs why). */
  observerFailures = 0;

  constructor(private readonly pubsub: PubSub) {
    this.unsubscribe = pubsub.subscribe(CHANNEL, (m) => this.fanOut(JSON.parse(m) as WireEvent[]));
    // Drop sockets that stopped answering pings (half-open TCP), so topics do not leak.
    this.heartbeat = setInterval(() => {
      for (const c of this.clients) {
        const s = c.socket as WebSocket & { isAlive?: boolean };
        if (s.isAlive === false) s.terminate();
        else {
          s.isAlive = false;
          s.ping();
        }
      }
      if (this.subjects.size > 0) {
        const alive = [...this.subjects.values()].map((e) => e.subject);
        for (const o of this.socketObservers) if (o.alive) void o.alive(alive).catch(() => this.observerFailures++);
      }
    }, 30_000);
    this.heartbeat.unref();
  }

  authorizeTopic(kind: string, authorizer: TopicAuthorizer): void {
    this.authorizers.set(kind, authorizer);
  }

  routeTopics(router: TopicRouter): void {
    this.routers.push(router);
  }

  /** Adds topics to every event and signal as it reaches this node (after the pub/sub hop). */
  routeWire(router: WireRouter): void {
    this.wireRouters.push(router);
  }

  /** Registers an observer of agents' and visitors' sockets opening and closing on this node. */
  observeSockets(observer: SocketObserver): void {
    this.socketObservers.push(observer);
  }

  /** Open sockets of a subject on this node. */
  socketCount(subject: SocketSubject): number {
    return this.subjects.get(subjectKey(subject))?.sockets ?? 0;
  }

  /** Resolves when every socket observer call started so far has finished. */
  async settled(): Promise<void> {
    while (this.observing.size > 0) await Promise.all([...this.observing.values()]);
  }

  private notify(subject: SocketSubject, event: 'opened' | 'closed'): void {
    if (this.socketObservers.length === 0) return;
    const key = subjectKey(subject);
    const run = async () => {
      for (const o of this.socketObservers) {
        const call = o[event];
        if (call) await call.call(o, subject).catch(() => void this.observerFailures++);
      }
    };
    const tail = (this.observing.get(key) ?? Promise.resolve()).then(run);
    this.observing.set(key, tail);
    void tail.then(() => {
      if (this.observing.get(key) === tail) this.observing.delete(key);
    });
  }

  private countSocket(subject: SocketSubject | null, delta: 1 | -1): void {
    if (!subject) return;
    const key = subjectKey(subject);
    const entry = this.subjects.get(key) ?? { subject, sockets: 0 };
    entry.sockets += delta;
    if (entry.sockets > 0) this.subjects.set(key, entry);
    else this.subjects.delete(key);
    if (delta === 1 && entry.sockets === 1) this.notify(subject, 'opened');
    if (delta === -1 && entry.sockets === 0 && !this.closing) this.notify(subject, 'closed');
  }

  /** Registers an observer of every event reaching this node (after the pub/sub hop, so from every node). */
  observe(observer: WireObserver): void {
    this.observers.push(observer);
  }

  /**
   * Publishes an ephemeral signal (a typing indicator): it travels like a committed event, through the pub/sub port
   * to every node and to subscribers of `topics`, but is never stored; `id` is null so clients can tell.
   */
  signal(accountId: string, topics: string[], event: NewRealtimeSignal): void {
    const wire: WireEvent = { topics, accountId, event: { ...event, id: null, createdAt: new Date().toISOString() } };
    this.pubsub.publish(CHANNEL, JSON.stringify([wire]));
  }

  /** Commit hook: publish a committed batch once to the pub/sub port. */
  publish(events: StoredEvent[]): void {
    const wire: WireEvent[] = events.map((e) => ({
      topics: [...new Set([`account:${e.accountId}`, ...this.routers.flatMap((r) => r(e))])],
      accountId: e.accountId,
      event: {
        id: e.id,
        type: e.type,
        conversationId: e.conversationId,
        customerId: e.customerId,
        actor: { kind: e.actorKind, id: e.actorId },
        payload: e.payload,
        createdAt: e.createdAt.toISOString(),
      } as RealtimeEvent,
    }));
    this.pubsub.publish(CHANNEL, JSON.stringify(wire));
  }

  private fanOut(batch: WireEvent[]): void {
    for (const w of batch) {
      for (const observe of this.observers) {
        try {
          observe(w.accountId, w.event);
        } catch {
          // An observer's bug must not stop the agents' pushes.
        }
      }
      const sent = new Set<Client>();
      const topics = this.wireRouters.length === 0 ? w.topics : [...w.topics, ...this.wireRouters.flatMap((r) => r(w.accountId, w.event))];
      for (const topic of topics) {
        // One serialisation per event and topic (and profile), not per subscriber: with hundreds of agents on an
        // account topic the stringify would otherwise dominate the fan-out.
        let frame: string | null = null;
        const profiled = new Map<SocketProfile['frame'], string | null>();
        for (const c of this.byTopic.get(topic) ?? []) {
          if (sent.has(c) || c.actor.accountId !== w.accountId) continue;
          sent.add(c);
          if (c.socket.readyState !== 1) continue;
          let out: string | null;
          if (c.profile) {
            const f = c.profile.frame;
            if (!profiled.has(f)) {
              const o = f(w.event);
              profiled.set(f, o ? JSON.stringify(o) : null);
            }
            out = profiled.get(f) ?? null;
          } else out = frame ??= JSON.stringify({ type: 'event', topic, event: w.event });
          if (out === null) continue;
          c.socket.send(out);
          this.delivered++;
        }
      }
    }
  }

  /**
   * Serves one authenticated socket. Agents (no profile): `subscribe`/`unsubscribe`/`ping` in, `event`s out. With a
   * profile (the web chat's visitors): its fixed topics, its own frames, its own handling of what the socket says.
   */
  accept(socket: WebSocket, actor: Actor, profile?: SocketProfile): void {
    const client: Client = { socket, actor, topics: new Set(), profile, subject: subjectOf(actor, profile) };
    this.clients.add(client);
    this.countSocket(client.subject, 1);
    (socket as WebSocket & { isAlive?: boolean }).isAlive = true;
    socket.on('pong', () => ((socket as WebSocket & { isAlive?: boolean }).isAlive = true));
    socket.on('close', () => this.drop(client));
    socket.on('error', () => this.drop(client));
    if (profile) {
      for (const topic of profile.topics) this.join(client, topic);
      socket.on('message', (raw) => profile.onText?.(raw.toString()));
      socket.send(JSON.stringify(profile.hello ?? { type: 'hello' }));
      return;
    }
    socket.on('message', (raw) => void this.onMessage(client, raw.toString()));
    socket.send(JSON.stringify({ type: 'hello', actor: { kind: actor.kind, accountId: actor.accountId } }));
  }

  private join(client: Client, topic: string): void {
    client.topics.add(topic);
    let set = this.byTopic.get(topic);
    if (!set) this.byTopic.set(topic, (set = new Set()));
    set.add(client);
  }

  private async onMessage(client: Client, raw: string): Promise<void> {
    let msg: { type?: unknown; topic?: unknown };
    try {
      msg = JSON.parse(raw);
    } catch {
      return this.send(client, { type: 'error', code: 'bad_request', message: 'Messages must be JSON' });
    }
    const topic = typeof msg.topic === 'string' ? msg.topic : '';
    if (msg.type === 'ping') return this.send(client, { type: 'pong' });
    if (msg.type === 'unsubscribe') {
      client.topics.delete(topic);
      this.byTopic.get(topic)?.delete(client);
      return this.send(client, { type: 'unsubscribed', topic });
    }
    if (msg.type !== 'subscribe') {
      return this.send(client, { type: 'error', code: 'bad_request', message: 'Unknown message type' });
    }
    const [kind, id] = topic.split(':', 2);
    let allowed = false;
    if (kind === 'account') allowed = id === client.actor.accountId && client.actor.kind !== 'customer';
    else if (kind && id) {
      const authorizer = this.authorizers.get(kind);
      allowed = authorizer ? await authorizer(client.actor, id).catch(() => false) : false;
    }
    if (!allowed) return this.send(client, { type: 'error', code: 'forbidden', topic, message: `You may not subscribe to ${topic}` });
    this.join(client, topic);
    this.send(client, { type: 'subscribed', topic });
  }

  private send(client: Client, msg: Record<string, unknown>): void {
    if (client.socket.readyState === 1) client.socket.send(JSON.stringify(msg));
  }

  private drop(client: Client): void {
    // 'error' is followed by 'close': count the socket out once.
    if (!this.clients.delete(client)) return;
    this.countSocket(client.subject, -1);
    for (const t of client.topics) {
      const set = this.byTopic.get(t);
      set?.delete(client);
      if (set?.size === 0) this.byTopic.delete(t);
    }
  }

  get connectionCount(): number {
    return this.clients.size;
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.closing = true;
    this.unsubscribe();
    for (const c of this.clients) c.socket.close(1001, 'server shutting down');
    this.clients.clear();
    this.byTopic.clear();
    this.subjects.clear();
    // Observer writes already started finish before the database closes.
    await this.settled();
  }
}

interface WireEvent {
  topics: string[];
  accountId: string;
  event: WireEventBody;
}
