import type { VisitorMessage, WidgetIdentifyBody } from '@touchpoint/shared';
import { useEffect, useRef, useState } from 'preact/hooks';
import { newClientMessageId, type WidgetClient } from './client';

export interface ChatMessage extends VisitorMessage {
  state?: 'sending' | 'failed';
}

/** Adds or replaces messages by id, and a sent message replaces its optimistic copy (same clientMessageId). */
export function merge(list: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  let next = list;
  for (const m of incoming) {
    const i = next.findIndex(
      (x) => x.id === m.id || (m.clientMessageId !== null && x.clientMessageId === m.clientMessageId && x.from === m.from),
    );
    next = i >= 0 ? next.map((x, j) => (j === i ? m : x)) : [...next, m];
  }
  return next;
}

export function App({ client }: { client: WidgetClient }) {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [draft, setDraft] = useState('');
  const [live, setLive] = useState(false);
  const [hasSession, setHasSession] = useState(client.token !== null);
  // Bumped when the visitor becomes another customer (identify): the socket reconnects to that customer's replies.
  const [who, setWho] = useState(0);
  const input = useRef<HTMLTextAreaElement>(null);
  const list = useRef<HTMLDivElement>(null);

  const refresh = () =>
    client
      .history()
      .then((h) => (h ? setMessages((prev) => merge(prev, h)) : setHasSession(false)))
      .catch(() => undefined);

  useEffect(() => {
    if (!hasSession) return;
    void refresh();
    return client.connect({ onMessage: (m) => setMessages((prev) => merge(prev, [m])), onOpen: () => void refresh(), onState: setLive });
  }, [hasSession, who]);

  useEffect(() => {
    const onHost = (e: MessageEvent) => {
      if (e.source !== parent) return;
      const data = e.data as { type?: unknown; identity?: WidgetIdentifyBody } | null;
      if (data?.type === 'touchpoint:open') input.current?.focus();
      if (data?.type === 'touchpoint:identify' && data.identity) void identify(data.identity);
    };
    addEventListener('message', onHost);
    parent.postMessage({ type: 'touchpoint:ready' }, '*');
    return () => removeEventListener('message', onHost);
  }, []);

  useEffect(() => {
    list.current?.scrollTo(0, list.current.scrollHeight);
  }, [messages.length]);

  const identify = async (identity: WidgetIdentifyBody) => {
    try {
      const history = await client.identify(identity);
      // Another customer's history: replace, never merge with what the anonymous visitor saw.
      setMessages(history);
      setHasSession(true);
      setWho((n) => n + 1);
    } catch (err) {
      // eslint-disable-next-line no-console -- the embedding site's developer needs to see a refused hash
      console.warn('Touchpoint widget: identify failed', err);
    }
  };

  const deliver = async (body: string, clientMessageId: string) => {
    try {
      const sent = await client.send(body, clientMessageId);
      setMessages((prev) => merge(prev, [sent]));
      setHasSession(true);
    } catch {
      setMessages((prev) => prev.map((m) => (m.clientMessageId === clientMessageId ? { ...m, state: 'failed' } : m)));
    }
  };

  const submit = (e: Event) => {
    e.preventDefault();
    const body = draft.trim();
    if (!body) return;
    const clientMessageId = newClientMessageId();
    const optimistic: ChatMessage = {
      id: `local:${clientMessageId}`,
      conversationId: '',
      from: 'visitor',
      body,
      clientMessageId,
      createdAt: new Date().toISOString(),
      state: 'sending',
    };
    setMessages((prev) => [...prev, optimistic]);
    setDraft('');
    void deliver(body, clientMessageId);
  };

  const retry = (m: ChatMessage) => {
    setMessages((prev) => prev.map((x) => (x.id === m.id ? { ...x, state: 'sending' } : x)));
    void deliver(m.body, m.clientMessageId!);
  };

  return (
    <div class="tp">
      <header>
        <span>Chat with us</span>
        <span class={live ? 'dot live' : 'dot'} title={live ? 'Connected' : 'Offline'} data-live={live ? 'true' : 'false'} />
        <button type="button" aria-label="Close chat" onClick={() => parent.postMessage({ type: 'touchpoint:close' }, '*')}>
          ×
        </button>
      </header>
      <div class="list" ref={list} data-testid="messages" aria-live="polite">
        {messages.length === 0 && <p class="empty">Hi! How can we help?</p>}
        {messages.map((m) => (
          <div key={m.id} class={`msg ${m.from === 'visitor' ? 'me' : 'them'}`} data-from={m.from}>
            <div class="bubble">{m.body}</div>
            {m.state === 'sending' && <small>Sending…</small>}
            {m.state === 'failed' && (
              <button type="button" class="retry" onClick={() => retry(m)}>
                Not sent — retry
              </button>
            )}
          </div>
        ))}
      </div>
      <form onSubmit={submit}>
        <textarea
          ref={input}
          aria-label="Message"
          placeholder="Write a message…"
          rows={2}
          maxLength={5000}
          value={draft}
          onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) submit(e);
          }}
        />
        <button type="submit">Send</button>
      </form>
    </div>
  );
}
