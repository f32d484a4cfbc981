import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../apps/server/test/harness';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const VIEWPORT = { width: 1280, height: 800 };
const SCREENSHOT_DIR = path.join(ROOT, 'docs/screenshots');

/** The server only serves the SPA when apps/web/dist exists at boot (`npm test` builds it first). */
export async function ensureWebBuild(): Promise<void> {
  if (fs.existsSync(path.join(ROOT, 'apps/web/dist/index.html'))) return;
  console.warn('e2e: apps/web/dist is missing; building the web app now (npm test runs `npm run build` first).');
  const { build } = await import('vite');
  await build({ root: path.join(ROOT, 'apps/web'), configFile: path.join(ROOT, 'apps/web/vite.config.ts'), logLevel: 'warn' });
}

/** README screenshots, only when SCREENSHOTS=1 (a normal test run leaves docs/ untouched). */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Let fonts, transitions and relative times settle so the image is stable.
  await page.evaluate(() => document.fonts.ready);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), animations: 'disabled', caret: 'hide' });
}

/** A small JSON client over real HTTP, acting with a session cookie taken from the browser. */
export function apiClient(baseUrl: string, cookie: string) {
  return async function call<T = { data: unknown }>(method: string, url: string, body?: unknown): Promise<T> {
    const res = await fetch(`${baseUrl}/api/v1${url}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url} -> ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

export type Api = ReturnType<typeof apiClient>;

interface Seed {
  name: string;
  email: string;
  subject: string;
  messages: { kind: 'incoming' | 'outgoing' | 'note'; body: string }[];
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  tags?: string[];
  mine?: boolean;
}

/** Realistic conversations, so the inbox in the screenshots looks like a working day. */
export const SEEDS: Seed[] = [
  {
    name: 'Priya Raman',
    email: 'priya@northwind.io',
    subject: 'Invoice shows the wrong VAT number',
    priority: 'high',
    tags: ['billing'],
    messages: [
      {
        kind: 'incoming',
        body: 'Hi! Our March invoice still shows our old VAT number. Could you reissue it? Our finance team needs it by Friday.',
      },
      { kind: 'note', body: 'Billing can reissue from the admin panel — checking with Sam.' },
    ],
  },
  {
    name: 'Tomás Ortega',
    email: 'tomas@brightlane.co',
    subject: 'SSO login loops back to the sign-in page',
    priority: 'urgent',
    tags: ['sso', 'bug'],
    mine: true,
    messages: [
      {
        kind: 'incoming',
        body: 'Since this morning none of our team can log in with Okta. We get redirected back to the sign-in page every time.',
      },
      { kind: 'outgoing', body: 'Sorry about that, Tomás — I am on it. Could you tell me roughly when the last successful login was?' },
      { kind: 'incoming', body: 'Yesterday around 6 pm CET. About 40 people are blocked right now.' },
    ],
  },
  {
    name: 'Hannah Becker',
    email: 'hannah.becker@example.de',
    subject: 'Export all conversations to CSV?',
    priority: 'low',
    messages: [
      { kind: 'incoming', body: 'Is there a way to export every conversation from last quarter as a CSV file?' },
      { kind: 'outgoing', body: 'Hi Hannah, yes! Analytics → Exports lets you pick a date range. I will send you a short guide.' },
    ],
  },
  {
    name: 'Kwame Mensah',
    email: 'kwame@accra-coffee.com',
    subject: 'Order #4821 arrived damaged',
    tags: ['shipping'],
    messages: [{ kind: 'incoming', body: 'Two of the six mugs in my order arrived broken. Photos attached in my previous email.' }],
  },
];

export async function seedConversations(api: Api, seeds: Seed[], meId: string): Promise<string[]> {
  const ids: string[] = [];
  for (const s of seeds) {
    const [first, ...rest] = s.messages;
    const { data } = await api<{ data: { conversation: { id: string } } }>('POST', '/conversations', {
      customer: { name: s.name, email: s.email },
      subject: s.subject,
      ...(s.priority ? { priority: s.priority } : {}),
      ...(s.tags ? { tags: s.tags } : {}),
      ...(s.mine ? { assigneeId: meId } : {}),
      message: first,
    });
    for (const m of rest) await api('POST', `/conversations/${data.conversation.id}/messages`, m);
    ids.push(data.conversation.id);
  }
  return ids;
}

/** What every browser test starts with: the real server on a free port of 127.0.0.1, and headless Chromium. */
export async function startLive(): Promise<{ t: TestApp; baseUrl: string; browser: Browser }> {
  const t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('server did not bind a TCP port');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return { t, baseUrl: `http://127.0.0.1:${address.port}`, browser };
}
