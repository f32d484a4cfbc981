import type { VisitorMessage, WidgetIdentifyBody, WidgetSocketMessage } from '@touchpoint/shared';

/**
 * The visitor's side of the visitor API: the token in this frame's localStorage (so history survives reloads),
 * created lazily on the first message so page views without a chat do not create customers.
 */
export class WidgetClient {
  private readonly base: string;
  private readonly key: string;
  private memoryToken: string | null = null;

  constructor(readonly channel: string) {
    this.base = `/api/v1/widget/${encodeURIComponent(channel)}`;
    this.key = `touchpoint:${channel}:token`;
  }

  get token(): string | null {
    try {
      return localStorage.getItem(this.key) ?? this.memoryToken;
    } catch {
      return this.memoryToken; // storage blocked (third-party frame in a strict browser): this tab only
    }
  }

  private set token(value: string | null) {
    this.memoryToken = value;
    try {
      if (value) localStorage.setItem(this.key, value);
      else localStorage.removeItem(this.key);
    } catch {
      /* memory only */
    }
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status === 401) {
      this.token = null; // revoked or from another server: start over as a new visitor
      throw new HttpError(401);
    }
    if (!res.ok) throw new HttpError(res.status);
    return ((await res.json()) as { data: T }).data;
  }

  /** Null when there is no session yet (nothing to show). */
  async history(): Promise<VisitorMessage[] | null> {
    if (!this.token) return null;
    try {
      return (await this.call<{ messages: VisitorMessage[] }>('GET', '/messages')).messages;
    } catch (err) {
      if (err instanceof HttpError && err.status === 401) return null;
      throw err;
    }
  }

  async ensureSession(): Promise<void> {
    if (this.token) return;
    const s = await this.call<{ token: string }>('POST', '/sessions');
    this.token = s.token;
  }

  /**
   * Attaches this visitor to the site's logged-in user (creating the session first: identify may come before any
   * message) and returns that customer's history. A refused hash is a 422 and leaves the session as it was.
   */
  async identify(identity: WidgetIdentifyBody): Promise<VisitorMessage[]> {
    await this.ensureSession();
    return (await this.call<{ messages: VisitorMessage[] }>('POST', '/identify', identity)).messages;
  }

  /** Retries network failures and 5xx with the same clientMessageId: the server stores the message once. */
  async send(body: string, clientMessageId: string): Promise<VisitorMessage> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.ensureSession();
        return (await this.call<{ message: VisitorMessage }>('POST', '/messages', { body, clientMessageId })).message;
      } catch (err) {
        const status = err instanceof HttpError ? err.status : 0;
        const retriable = status === 0 || status === 401 || status === 429 || status >= 500;
        if (!retriable || attempt >= 4) throw err;
        await sleep(500 * 2 ** attempt);
      }
    }
  }

  /** Replies pushed live; reconnects with backoff and calls onOpen each time so missed messages are fetched. */
  connect(handlers: { onMessage(m: VisitorMessage): void; onOpen(): void; onState(live: boolean): void }): () => void {
    let socket: WebSocket | null = null;
    let attempts = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const open = () => {
      const token = this.token;
      if (stopped || !token) return;
      const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
      socket = new WebSocket(`${scheme}://${location.host}${this.base}/ws?token=${encodeURIComponent(token)}`);
      socket.onopen = () => {
        attempts = 0;
        handlers.onState(true);
        handlers.onOpen();
      };
      socket.onmessage = (e) => {
        const msg = JSON.parse(String(e.data)) as WidgetSocketMessage;
        if (msg.type === 'message') handlers.onMessage(msg.message);
      };
      socket.onclose = () => {
        handlers.onState(false);
        if (stopped) return;
        // Jittered exponential backoff up to 30 s, so a server restart is not met by every visitor at once.
        const delay = Math.min(30_000, 1000 * 2 ** attempts++) * (0.5 + Math.random() / 2);
        timer = setTimeout(open, delay);
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(timer);
      socket?.close();
    };
  }
}

export class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function newClientMessageId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  // crypto.randomUUID needs a secure context; a plain-http deployment still gets unique-enough ids.
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}
