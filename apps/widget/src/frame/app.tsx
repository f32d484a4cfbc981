import type { VisitorMessage, WidgetConfig, WidgetIdentifyBody } from '@touchpoint/shared';
import { useEffect, useRef, useState } from 'preact/hooks';
import { HttpError, newClientMessageId, type History, type WidgetClient } from './client';
import { AttachButton, AttachmentLinks, Chips, useAttachments } from './attachments';
import { OfflineForm, PrechatForm } from './forms';

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

/** How long "… is typing" stays without a new signal (agents signal every few seconds while they type). */
const TYPING_TTL_MS = 6_000;
/** At most one "I am typing" per this interval. */
const TYPING_EVERY_MS = 2_500;

const latest = (a: string | null, b: string | null) => (!a ? b : !b ? a : a > b ? a : b);

export function App({ client }: { client: WidgetClient }) {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [loaded, setLoaded] = useState(client.token === null);
  const [config, setConfig] = useState<WidgetConfig | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [draft, setDraft] = useState('');
  const [live, setLive] = useState(false);
  const [hasSession, setHasSession] = useState(client.token !== null);
  const [agentReadAt, setAgentReadAt] = useState<string | null>(null);
  const [typing, setTyping] = useState<{ name: string | null } | null>(null);
  const [open, setOpen] = useState(false);
  const [visible, setVisible] = useState(document.visibilityState === 'visible');
  const [prechatDone, setPrechatDone] = useState(client.getItem('prechat') === 'done');
  const [seen, setSeen] = useState(client.getItem('seen') ?? '');
  // Bumped when the visitor becomes another customer (identify, reset): the socket reconnects as that customer.
  const [who, setWho] = useState(0);
  // The same, synchronously: an answer to a request made for an earlier visitor (a history still loading when
  // reset() came) is dropped, or it would show the previous person's chat again.
  const visitor = useRef(0);
  const current = () => {
    const asked = visitor.current;
    return () => asked === visitor.current;
  };
  const input = useRef<HTMLTextAreaElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const typingTimer = useRef<ReturnType<typeof setTimeout>>();
  const lastTypingSent = useRef(0);
  const att = useAttachments(client, config?.attachments);

  const apply = (h: History, replace = false) => {
    setMessages((prev) => (replace ? h.messages : merge(prev, h.messages)));
    setAgentReadAt((prev) => (replace ? h.agentReadAt : latest(prev, h.agentReadAt)));
    setLoaded(true);
  };
  const refresh = () => {
    const still = current();
    return client
      .history()
      .then((h) => {
        if (!still()) return;
        if (h) return apply(h);
        setHasSession(false);
        setLoaded(true);
      })
      .catch(() => {
        if (still()) setLoaded(true);
      });
  };
  const loadConfig = () =>
    client
      .config()
      .then((c) => {
        setUnavailable(false);
        setConfig(c);
      })
      // A channel the account disabled (403) or removed (404) takes no chats: say so instead of failing on send.
      // Without an answer otherwise the chat still works; no form is better than a wrong one.
      .catch((err: unknown) =>
        err instanceof HttpError && (err.status === 403 || err.status === 404)
          ? setUnavailable(true)
          : setConfig({
              online: true,
              greeting: null,
              prechat: { enabled: false, intro: null, fields: { name: 'off', email: 'off' } },
              attachments: { maxBytes: 0, maxPerMessage: 0, allowedTypes: [] },
            }),
      );

  useEffect(() => void loadConfig(), [who]);

  useEffect(() => {
    if (!hasSession) return;
    void refresh();
    return client.connect({
      onMessage: (m) => {
        setMessages((prev) => merge(prev, [m]));
        if (m.from !== 'visitor') setTyping(null);
      },
      onOpen: () => void refresh(),
      onState: setLive,
      onTyping: (name) => {
        setTyping({ name });
        clearTimeout(typingTimer.current);
        typingTimer.current = setTimeout(() => setTyping(null), TYPING_TTL_MS);
      },
      onRead: (at) => setAgentReadAt((prev) => latest(prev, at)),
    });
  }, [hasSession, who]);

  useEffect(() => {
    const onHost = (e: MessageEvent) => {
      if (e.source !== parent) return;
      const data = e.data as { type?: unknown; identity?: WidgetIdentifyBody } | null;
      if (data?.type === 'touchpoint:open') {
        setOpen(true);
        input.current?.focus();
      }
      if (data?.type === 'touchpoint:hidden') setOpen(false);
      if (data?.type === 'touchpoint:identify' && data.identity) void identify(data.identity);
      if (data?.type === 'touchpoint:reset') reset();
    };
    const onVisibility = () => setVisible(document.visibilityState === 'visible');
    addEventListener('message', onHost);
    document.addEventListener('visibilitychange', onVisibility);
    parent.postMessage({ type: 'touchpoint:ready' }, '*');
    return () => {
      removeEventListener('message', onHost);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, []);

  useEffect(() => {
    list.current?.scrollTo(0, list.current.scrollHeight);
  }, [messages.length, typing]);

  // Replies arrived since the visitor last looked: a badge on the launcher while closed, "read" once they look.
  const replies = messages.filter((m) => m.from !== 'visitor');
  const newest = replies.length ? replies[replies.length - 1]!.createdAt : '';
  const unread = replies.filter((m) => m.createdAt > seen).length;
  useEffect(() => parent.postMessage({ type: 'touchpoint:unread', count: open ? 0 : unread }, '*'), [unread, open]);
  useEffect(() => {
    if (!open || !visible || !newest || newest <= seen) return;
    setSeen(newest);
    client.setItem('seen', newest);
    void client.markRead().catch(() => undefined);
  }, [open, visible, newest]);

  const identify = async (identity: WidgetIdentifyBody) => {
    visitor.current++;
    const still = current();
    try {
      // Another customer's history: replace, never merge with what the anonymous visitor saw.
      const h = await client.identify(identity);
      if (!still()) return; // reset() (or another identify) came first
      apply(h, true);
      setPrechatDone(true); // the site told us who they are
      setHasSession(true);
      setWho((n) => n + 1);
    } catch (err) {
      // eslint-disable-next-line no-console -- the embedding site's developer needs to see a refused hash
      console.warn('Touchpoint widget: identify failed', err);
    }
  };

  const reset = () => {
    visitor.current++;
    client.reset();
    setMessages([]);
    setAgentReadAt(null);
    setTyping(null);
    setPrechatDone(false);
    setSeen('');
    setHasSession(false);
    setLoaded(true);
    setWho((n) => n + 1);
    parent.postMessage({ type: 'touchpoint:reset-done' }, '*');
  };

  const deliver = async (body: string, clientMessageId: string, attachmentIds: string[]) => {
    const still = current();
    try {
      const sent = await client.send(body, clientMessageId, attachmentIds);
      if (!still()) return;
      setMessages((prev) => merge(prev, [sent]));
      setHasSession(true);
    } catch {
      if (!still()) return;
      setMessages((prev) => prev.map((m) => (m.clientMessageId === clientMessageId ? { ...m, state: 'failed' } : m)));
    }
  };

  const submit = (e: Event) => {
    e.preventDefault();
    const body = draft.trim();
    const ids = att.readyIds;
    if ((!body && ids.length === 0) || att.uploading) return;
    const clientMessageId = newClientMessageId();
    const optimistic: ChatMessage = {
      id: `local:${clientMessageId}`,
      conversationId: '',
      from: 'visitor',
      body,
      clientMessageId,
      createdAt: new Date().toISOString(),
      attachments: att.files
        .filter((f) => f.state === 'ready')
        .map((f) => ({ id: f.id!, name: f.name, contentType: '', size: 0, inline: false })),
      state: 'sending',
    };
    setMessages((prev) => [...prev, optimistic]);
    setDraft('');
    att.clear();
    void deliver(body, clientMessageId, ids);
  };

  const retry = (m: ChatMessage) => {
    setMessages((prev) => prev.map((x) => (x.id === m.id ? { ...x, state: 'sending' } : x)));
    void deliver(
      m.body,
      m.clientMessageId!,
      (m.attachments ?? []).map((a) => a.id),
    );
  };

  const onDraft = (value: string) => {
    setDraft(value);
    const now = Date.now();
    if (value.trim() && now - lastTypingSent.current > TYPING_EVERY_MS) {
      lastTypingSent.current = now;
      client.typing();
    }
  };

  const empty = loaded && messages.length === 0;
  const offline = !!config && !config.online && empty;
  const prechat = !!config && !offline && config.prechat.enabled && empty && !prechatDone;
  const lastMine = [...messages].reverse().find((m) => m.from === 'visitor' && !m.state);
  const seenByAgent = !!lastMine && !!agentReadAt && agentReadAt >= lastMine.createdAt;

  return (
    <div class="tp">
      <header>
        <span>Chat with us</span>
        <span class={live ? 'dot live' : 'dot'} title={live ? 'Connected' : 'Offline'} data-live={live ? 'true' : 'false'} />
        <button type="button" aria-label="Close chat" onClick={() => parent.postMessage({ type: 'touchpoint:close' }, '*')}>
          ×
        </button>
      </header>
      {unavailable ? (
        <div class="list" data-testid="unavailable">
          <p class="empty">Chat is not available right now. Please contact us another way.</p>
        </div>
      ) : offline ? (
        <OfflineForm
          onSubmit={async ({ email, body }) => {
            const still = current();
            const sent = await client.sendOffline({ email, body, clientMessageId: newClientMessageId() });
            if (!still()) return;
            setMessages((prev) => merge(prev, [sent]));
            setPrechatDone(true);
            setHasSession(true);
          }}
        />
      ) : prechat ? (
        <PrechatForm
          prechat={config.prechat}
          onSubmit={async (answers) => {
            await client.prechat(answers);
            client.setItem('prechat', 'done');
            setPrechatDone(true);
            setHasSession(true);
          }}
        />
      ) : (
        <>
          <div class="list" ref={list} data-testid="messages" aria-live="polite">
            {messages.length === 0 && <p class="empty">{config?.greeting ?? 'Hi! How can we help?'}</p>}
            {config && !config.online && messages.length > 0 && (
              <p class="away">We're away right now — we'll answer here and by email if you left one.</p>
            )}
            {messages.map((m) => (
              <div key={m.id} class={`msg ${m.from === 'visitor' ? 'me' : 'them'}`} data-from={m.from} data-state={m.state ?? 'stored'}>
                {m.body && <div class="bubble">{m.body}</div>}
                <AttachmentLinks
                  list={m.state ? undefined : m.attachments}
                  onOpen={(a) => void client.download(a).catch(() => undefined)}
                />
                {m.state === 'sending' && <small>Sending…</small>}
                {m.state === 'failed' && (
                  <button type="button" class="retry" onClick={() => retry(m)}>
                    Not sent — retry
                  </button>
                )}
                {m === lastMine && seenByAgent && <small data-testid="seen">Seen</small>}
              </div>
            ))}
            {typing && <p class="typing">{typing.name ?? 'An agent'} is typing…</p>}
          </div>
          <Chips files={att.files} onRemove={att.remove} />
          <form onSubmit={submit}>
            <AttachButton disabled={messages.length === 0 || !config?.attachments.maxBytes} onPick={att.pick} />
            <textarea
              ref={input}
              aria-label="Message"
              placeholder="Write a message…"
              rows={2}
              maxLength={5000}
              value={draft}
              onInput={(e) => onDraft((e.target as HTMLTextAreaElement).value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey) submit(e);
              }}
            />
            <button type="submit">Send</button>
          </form>
        </>
      )}
    </div>
  );
}
