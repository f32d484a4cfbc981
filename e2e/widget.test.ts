import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../apps/server/test/harness';
import { DEMO_LOGIN, seedDemo } from '../apps/server/src/seed/demo';
import { CHROMIUM, ROOT, screenshot, startLive, VIEWPORT } from './support';

const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`\n*** e2e/widget.test.ts SKIPPED: ${CHROMIUM} not found. Install it with \`apt-get install -y chromium\` (Debian). ***\n`);
}

/** The server serves the widget from apps/widget/dist (`npm test` builds it first). */
async function ensureWidgetBuild(): Promise<void> {
  const dist = path.join(ROOT, 'apps/widget/dist');
  if (fs.existsSync(path.join(dist, 'widget.js')) && fs.existsSync(path.join(dist, 'frame.js'))) return;
  const { build } = await import('vite');
  const root = path.join(ROOT, 'apps/widget');
  const configFile = path.join(root, 'vite.config.ts');
  await build({ root, configFile, logLevel: 'warn' });
  await build({ root, configFile, mode: 'frame', logLevel: 'warn' });
}

/**
 * The visitor's journey in a real browser: the demo store page embeds the widget, the visitor opens it and writes,
 * an agent replies through the API, the reply appears live in the widget, and the chat is still there after a reload.
 */
describe.skipIf(!hasChromium)('web chat widget journey (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await ensureWidgetBuild();
    ({ t, baseUrl, browser } = await startLive());
    page = await (await browser.newContext({ viewport: VIEWPORT, locale: 'en-US' })).newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (err) => pageErrors.push(String(err)));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('chats with an agent from the demo store page', async () => {
    // Without the demo account the page says how to create it.
    expect(await (await fetch(`${baseUrl}/demo`)).text()).toContain('The demo store is not set up');
    await seedDemo(t);

    await page.goto(`${baseUrl}/demo`);
    await page.getByRole('heading', { name: 'Northwind Outfitters' }).waitFor();
    await page.getByRole('button', { name: 'Open chat' }).click();
    const frame = page.frameLocator('iframe[title="Chat"]');
    await frame.getByLabel('Message').fill('Does the Ridgeline jacket run small?');
    await frame.getByRole('button', { name: 'Send' }).click();
    await frame.locator('[data-from="visitor"]', { hasText: 'Does the Ridgeline jacket run small?' }).waitFor();
    await frame.getByText('Sending…').waitFor({ state: 'detached' });
    await frame.locator('[data-live="true"]').waitFor(); // the WebSocket is up once the session exists

    // The agent finds the conversation and replies through the API.
    const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(DEMO_LOGIN),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const chatFrame = page.frames().find((f) => f.url().includes('/widget/frame.html'))!;
    const token = await chatFrame.evaluate(() => Object.entries(localStorage).find(([k]) => k.endsWith(':token'))?.[1]);
    expect(token).toBeTruthy();
    const channelId = new URL(chatFrame.url()).searchParams.get('channel');
    const mine = await (
      await fetch(`${baseUrl}/api/v1/widget/${channelId}/messages`, { headers: { authorization: `Bearer ${token}` } })
    ).json();
    const conversationId = mine.data.messages[0].conversationId as string;
    const reply = await fetch(`${baseUrl}/api/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'outgoing', body: 'It runs true to size — take your usual one.' }),
    });
    expect(reply.status).toBe(201);
    await frame.locator('[data-from="agent"]', { hasText: 'It runs true to size' }).waitFor();
    await screenshot(page, 'widget-demo');

    // After a reload the history comes back from the stored token; the host page opens it with the JS API.
    await page.reload();
    await page.waitForFunction(() => Boolean((window as { Touchpoint?: unknown }).Touchpoint));
    await page.evaluate(() => (window as unknown as { Touchpoint: { open(): void } }).Touchpoint.open());
    await frame.locator('[data-from="agent"]', { hasText: 'It runs true to size' }).waitFor();
    expect(await frame.locator('[data-from]').count()).toBe(2);
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
