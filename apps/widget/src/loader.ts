/**
 * The loader customer sites embed: `<script src="https://touchpoint.example/widget.js" data-channel="<id>"></script>`.
 * It adds a launcher button and an iframe with the chat (served by the same Touchpoint server), and exposes
 * `window.Touchpoint = { open, close, identify, reset, logout, track }`. The chat runs inside the iframe so the host page's CSS and scripts cannot
 * reach the visitor's token, and ours cannot break the host page. Plain DOM: it loads on every page view.
 */
/** What the site's backend vouches for: `hash` = hex HMAC-SHA256 of `externalId ?? email` (docs/channels.md). */
export interface TouchpointIdentity {
  email?: string;
  externalId?: string;
  name?: string;
  hash: string;
}

export interface TouchpointApi {
  open(): void;
  close(): void;
  /** Attaches the visitor to the site's logged-in user; the frame checks it with the server. */
  identify(identity: TouchpointIdentity): void;
  /** Forgets this browser's visitor (token and history) and starts a new anonymous one: call it on logout. */
  reset(): void;
  /** The same as reset(). */
  logout(): void;
  /**
   * A journey event ("viewed_product", { sku: "…" }). A placeholder: the call is part of the API so sites can tag
   * their pages now, but events are checked and kept only in this page (the last 50, `Touchpoint.tracked()`) until
   * customer journeys are built; nothing is sent to the server yet.
   */
  track(name: string, properties?: Record<string, unknown>): void;
  /** The events track() kept on this page, oldest first. */
  tracked(): { name: string; properties: Record<string, unknown>; at: string }[];
}

declare global {
  interface Window {
    Touchpoint?: TouchpointApi;
  }
}

const Z = '2147483000';

function css(el: HTMLElement, styles: Record<string, string>): void {
  for (const [k, v] of Object.entries(styles)) el.style.setProperty(k, v);
}

function start(script: HTMLScriptElement): void {
  const channel = script.dataset.channel;
  if (!channel) {
    // eslint-disable-next-line no-console -- the embedding site's developer needs to see this
    console.warn('Touchpoint widget: add data-channel="<web channel id>" to the script tag');
    return;
  }
  const origin = new URL(script.src, location.href).origin;
  const frame = document.createElement('iframe');
  frame.src = `${origin}/widget/frame.html?channel=${encodeURIComponent(channel)}`;
  frame.title = 'Chat';
  css(frame, {
    position: 'fixed',
    right: '20px',
    bottom: '88px',
    width: '360px',
    height: '520px',
    'max-width': 'calc(100vw - 40px)',
    'max-height': 'calc(100vh - 108px)',
    border: '0',
    'border-radius': '12px',
    'box-shadow': '0 8px 30px rgba(0,0,0,.2)',
    background: '#fff',
    display: 'none',
    'z-index': Z,
  });
  const button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('aria-label', 'Open chat');
  button.setAttribute('aria-expanded', 'false');
  // An inline SVG speech bubble: an emoji would depend on the host having an emoji font (many Linux desktops don't).
  button.innerHTML =
    '<svg width="26" height="26" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/></svg>';
  css(button, {
    position: 'fixed',
    right: '20px',
    bottom: '20px',
    width: '56px',
    height: '56px',
    'border-radius': '50%',
    border: '0',
    background: '#2563eb',
    color: '#fff',
    'font-size': '26px',
    cursor: 'pointer',
    'box-shadow': '0 4px 14px rgba(0,0,0,.25)',
    'z-index': Z,
  });

  // The unread count, on the launcher while the chat is closed (the frame counts; it knows what was seen).
  const badge = document.createElement('span');
  css(badge, {
    position: 'absolute',
    top: '-4px',
    right: '-4px',
    'min-width': '20px',
    height: '20px',
    'border-radius': '10px',
    background: '#dc2626',
    color: '#fff',
    font: '600 12px/20px system-ui,sans-serif',
    display: 'none',
  });
  badge.setAttribute('data-touchpoint-unread', '');
  button.append(badge);

  let isOpen = false;
  let resetPending = false;
  const tracked: { name: string; properties: Record<string, unknown>; at: string }[] = [];
  // Kept so a frame that loads (or reloads) after identify() is called still receives it on its "ready".
  let identity: TouchpointIdentity | null = null;
  const post = (type: string, extra: object = {}) => frame.contentWindow?.postMessage({ ...extra, type }, origin);
  const api: TouchpointApi = {
    open() {
      isOpen = true;
      frame.style.display = 'block';
      button.setAttribute('aria-label', 'Close chat');
      button.setAttribute('aria-expanded', 'true');
      post('touchpoint:open');
    },
    close() {
      isOpen = false;
      frame.style.display = 'none';
      button.setAttribute('aria-label', 'Open chat');
      button.setAttribute('aria-expanded', 'false');
      post('touchpoint:hidden');
    },
    identify(value) {
      identity = { email: value.email, externalId: value.externalId, name: value.name, hash: value.hash };
      post('touchpoint:identify', { identity });
    },
    reset() {
      identity = null;
      // Also when the frame has not loaded yet: it resets on its "ready", before showing anything.
      resetPending = true;
      post('touchpoint:reset');
    },
    logout() {
      api.reset();
    },
    track(name, properties = {}) {
      if (typeof name !== 'string' || !/^[\w.:-]{1,100}$/.test(name))
        throw new TypeError('Touchpoint.track: name must be 1-100 letters, digits, _ . : -');
      tracked.push({ name, properties: { ...properties }, at: new Date().toISOString() });
      if (tracked.length > 50) tracked.shift();
    },
    tracked: () => tracked.slice(),
  };
  button.addEventListener('click', () => (isOpen ? api.close() : api.open()));
  // Only our frame may close the widget (its header's close button), never another frame of the page.
  window.addEventListener('message', (e) => {
    if (e.origin !== origin || e.source !== frame.contentWindow) return;
    const type = (e.data as { type?: unknown } | null)?.type;
    if (type === 'touchpoint:close') api.close();
    if (type === 'touchpoint:unread') {
      const n = Number((e.data as { count?: unknown }).count) || 0;
      badge.textContent = n > 9 ? '9+' : String(n);
      badge.style.display = n > 0 ? 'block' : 'none';
      button.setAttribute('aria-label', `${isOpen ? 'Close' : 'Open'} chat${n > 0 ? ` (${n} unread)` : ''}`);
    }
    if (type === 'touchpoint:reset-done') resetPending = false;
    if (type === 'touchpoint:ready' && resetPending) post('touchpoint:reset');
    if (type === 'touchpoint:ready' && identity) post('touchpoint:identify', { identity });
    if (type === 'touchpoint:ready' && isOpen) post('touchpoint:open');
  });
  document.body.append(frame, button);
  window.Touchpoint = api;
}

const current = document.currentScript as HTMLScriptElement | null;
if (current && !window.Touchpoint) {
  if (document.body) start(current);
  else document.addEventListener('DOMContentLoaded', () => start(current));
}
