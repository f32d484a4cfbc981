import type {
  StoredAttachment,
  VisitorMessage,
  WidgetConfig,
  WidgetIdentifyBody,
  WidgetOfflineBody,
  WidgetPrechatBody,
  WidgetSocketMessage,
} from '@touchpoint/shared';

export interface History {
  messages: VisitorMessage[];
  agentReadAt: string | null;
}

/**
 * The visitor's side of the visitor API: the token in this frame's localStorage (so history survives reloads),
 * created lazily on the first message so page views without a chat do not create customers.
 */
export class WidgetClient {
  private readonly base: string;
  private readonly key: string;
  private memoryToken: string | null = null;
  private readonly memory = new Map<string, string>();
  private socket: WebSocket | null = null;

  constructor(readonly channel: string) {
    this.base = `/api/v1/widget/${encodeURIComponent(channel)}`;
    this.key = `touchpoint:${channel}:token`;
  }

  /** Small per-channel flags next to the token (pre-chat answered, last reply seen), forgotten by reset(). */
  getItem(name: string): string | null {
    try {
      return localStorage.getItem(`touchpoint:${this.channel}:${name}`) ?? this.memory.get(name) ?? null;
    } catch {
      return this.memory.get(name) ?? null;
    }
  }

  setItem(name: string, value: string): void {
    this.memory.set(name, value);
    try {
      localStorage.setItem(`touchpoint:${this.channel}:${name}`, value);
    } catch {
      /* memory only */
    }
  }

  /**
   * Logout on a shared computer: forgets the token and every flag of this channel in this browser, so the next
   * person starts as a new anonymous visitor and sees nothing of the previous chat (the server keeps it for agents).
   */
  reset(): void {
    this.socket?.close();
    this.token = null;
    this.memory.clear();
    try {
      for (const k of Object.keys(localStorage)) if (k.startsWith(`touchpoint:${this.channel}:`)) localStorage.removeItem(k);
    } catch {
      /* memory only */
    }
  }

  /** Is anyone online, the pre-chat form, the greeting: asked on every load (availability changes). */
  config(): Promise<WidgetConfig> {
    return this.call<WidgetConfig>('GET', '/config');
  }

  async prechat(body: WidgetPrechatBody): Promise<void> {
    await this.ensureSession();
    await this.call('POST', '/prechat', body);
  }

  async sendOffline(body: WidgetOfflineBody): Promise<VisitorMessage> {
    await this.ensureSession();
    return (await this.call<{ message: VisitorMessage }>('POST', '/offline-messages', body)).message;
  }

  /** Uploads a file into the visitor's conversation in progress; send its id with the next message. */
  async upload(file: File): Promise<StoredAttachment> {
    const res = await fetch(`${this.base}/attachments?filename=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token ?? ''}`, 'content-type': file.type || 'application/octet-stream' },
      body: file,
    });
    if (!res.ok) throw new HttpError(res.status, await problemDetail(res));
    return ((await res.json()) as { data: StoredAttachment }).data;
  }

  /** Downloads a file with the token in a header (never in a URL, where logs and referrers would keep it). */
  async download(a: StoredAttachment): Promise<void> {
    const res = await fetch(`${this.base}/attachments/${encodeURIComponent(a.id)}`, {
      headers: { authorization: `Bearer ${this.token ?? ''}` },
    });
    if (!res.ok) throw new HttpError(res.status);
    const url = URL.createObjectURL(await res.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = a.name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  /** The chat is open and visible: the agents' replies become read. */
  async markRead(): Promise<void> {
    if (this.token) await this.call('POST', '/read');
  }

  /** "The visitor is typing", over the open socket (never stored; the caller throttles). */
  typing(): void {
    if (this.socket?.readyState === 1) this.socket.send(JSON.stringify({ type: 'typing' }));
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
    if (!res.ok) throw new HttpError(res.status, await problemDetail(res));
    if (res.status === 204) return undefined as T;
    return ((await res.json()) as { data: T }).data;
  }

  /** Null when there is no session yet (nothing to show). */
  async history(): Promise<History | null> {
    if (!this.token) return null;
    try {
      const h = await this.call<History>('GET', '/messages');
      return { messages: h.messages, agentReadAt: h.agentReadAt ?? null };
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
  async identify(identity: WidgetIdentifyBody): Promise<History> {
    await this.ensureSession();
    const h = await this.call<History>('POST', '/identify', identity);
    return { messages: h.messages, agentReadAt: h.agentReadAt ?? null };
  }

  /** Retries network failures and 5xx with the same clientMessageId: the server stores the message once. */
  async send(body: string, clientMessageId: string, attachmentIds: string[] = []): Promise<VisitorMessage> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.ensureSession();
        const payload = attachmentIds.length ? { body, clientMessageId, attachmentIds } : { body, clientMessageId };
        return (await this.call<{ message: VisitorMessage }>('POST', '/messages', payload)).message;
      } catch (err) {
        const status = err instanceof HttpError ? err.status : 0;
        const retriable = status === 0 || status === 401 || status === 429 || status >= 500;
        if (!retriable || attempt >= 4) throw err;
        await sleep(500 * 2 ** attempt);
      }
    }
  }

  /** Replies pushed live; reconnects with backoff and calls onOpen each time so missed messages are fetched. */
  connect(handlers: {
    onMessage(m: VisitorMessage): void;
    onOpen(): void;
    onState(live: boolean): void;
    onTyping(name: string | null): void;
    onRead(agentReadAt: string): void;
  }): () => void {
    let socket: WebSocket | null = null;
    let attempts = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const open = () => {
      const token = this.token;
      if (stopped || !token) return;
      const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
      socket = this.socket = new WebSocket(`${scheme}://${location.host}${this.base}/ws?token=${encodeURIComponent(token)}`);
      socket.onopen = () => {
        attempts = 0;
        handlers.onState(true);
        handlers.onOpen();
      };
      socket.onmessage = (e) => {
        const msg = JSON.parse(String(e.data)) as WidgetSocketMessage;
        if (msg.type === 'message') handlers.onMessage(msg.message);
        else if (msg.type === 'typing') handlers.onTyping(msg.name);
        else if (msg.type === 'read') handlers.onRead(msg.agentReadAt);
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
  constructor(
    readonly status: number,
    readonly detail = '',
  ) {
    super(detail || `HTTP ${status}`);
  }
}

/** The first field error or the detail of a problem+json answer, for the forms. */
async function problemDetail(res: Response): Promise<string> {
  try {
    const p = (await res.json()) as { detail?: string; errors?: { message: string }[] };
    return p.errors?.[0]?.message ?? p.detail ?? '';
  } catch {
    return '';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function newClientMessageId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  // crypto.randomUUID needs a secure context; a plain-http deployment still gets unique-enough ids.
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}
