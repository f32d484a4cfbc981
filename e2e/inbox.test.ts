import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../apps/server/test/harness';
import { apiClient, CHROMIUM, ensureWebBuild, screenshot, seedConversations, SEEDS, startLive, VIEWPORT, type Api } from './support';

const hasChromium = fs.existsSync(CHROMIUM);

/**
 * The inbox as a team lead uses it all day, in a real browser: bulk actions, filters in the URL, saved views,
 * full-text search with highlighted matches, and the phone layout (stacked list / conversation / details).
 */
describe.skipIf(!hasChromium)('inbox (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let api: Api;
  let cookie: string;
  let meId: string;

  beforeAll(async () => {
    await ensureWebBuild();
    ({ t, baseUrl, browser } = await startLive());
    const res = await fetch(`${baseUrl}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accountName: 'Lead Co', name: 'Lena Lead', email: 'lena@lead.test', password: 'correct horse battery' }),
    });
    expect(res.status).toBe(201);
    cookie = res.headers
      .getSetCookie()
      .find((c) => c.startsWith('tp_session='))!
      .split(';')[0]!;
    api = apiClient(baseUrl, cookie);
    meId = (await api<{ data: { user: { id: string } } }>('GET', '/me')).data.user.id;
    await seedConversations(api, SEEDS, meId);
    context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', timezoneId: 'UTC' });
    await context.addCookies([{ name: 'tp_session', value: cookie.split('=')[1]!, url: baseUrl }]);
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const rows = () => page.getByTestId('conversation-list').locator('[data-conversation-id]');

  it('bulk-resolves three conversations', async () => {
    await page.goto(`${baseUrl}/inbox?status=open&view=all`);
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(SEEDS.length);
    await screenshot(page, 'inbox-list');
    const boxes = page.getByTestId('conversation-list').getByRole('checkbox');
    for (let i = 0; i < 3; i++) await boxes.nth(i).check();
    await page.getByRole('toolbar').filter({ hasText: '3 selected' }).waitFor();
    await page.getByRole('toolbar').getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(SEEDS.length - 3);
    const { data } = await api<{ data: { status: string }[] }>('GET', '/conversations?status=resolved');
    expect(data).toHaveLength(3);
    await page.getByRole('tab', { name: 'Resolved' }).click();
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(3);
  });

  it('filters by priority in the URL and saves the view', async () => {
    await page.goto(`${baseUrl}/inbox?status=resolved&view=all`);
    await page.getByRole('button', { name: 'Filters' }).click();
    await page.getByLabel('Priority').selectOption('urgent');
    await page.waitForURL(/priority=urgent/);
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBeLessThanOrEqual(1);
    await page.getByLabel('View').selectOption({ label: 'Save this view…' });
    await page.getByRole('dialog').getByLabel('Name').fill('Urgent, resolved');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/savedView=/);
    // Elsewhere, then back through the saved view.
    await page.goto(`${baseUrl}/inbox?status=open&view=all`);
    await page.getByLabel('View').selectOption({ label: 'Urgent, resolved' });
    await page.waitForURL(/priority=urgent/);
    await page.waitForURL(/status=resolved/);
  });

  it('searches messages and highlights the match', async () => {
    await page.goto(`${baseUrl}/inbox`);
    await page.getByRole('searchbox', { name: 'Search conversations' }).fill('mugs');
    await page.getByRole('searchbox', { name: 'Search conversations' }).press('Enter');
    await page.waitForURL(/q=mugs/);
    const hit = page.getByTestId('search-results').locator('mark').first();
    expect(await hit.textContent()).toMatch(/mugs/i);
    await page.getByTestId('search-results').getByRole('link').first().click();
    await page.getByTestId('thread').getByText('Two of the six mugs').waitFor();
  });

  it('stacks list, conversation and details on a phone', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US', timezoneId: 'UTC', hasTouch: true });
    await phone.addCookies([{ name: 'tp_session', value: cookie.split('=')[1]!, url: baseUrl }]);
    const p = await phone.newPage();
    p.setDefaultTimeout(10_000);
    const fits = () => p.evaluate(() => document.documentElement.scrollWidth);
    await p.goto(`${baseUrl}/inbox?status=open&view=all`);
    const first = p.getByTestId('conversation-list').locator('a[data-conversation-id]').first();
    await first.waitFor();
    expect(await fits()).toBeLessThanOrEqual(390);
    await screenshot(p, 'inbox-phone');
    await first.click();
    // The conversation is a screen of its own: the list is gone, the composer is wider than a sliver.
    await p.getByTestId('thread').waitFor();
    await p.getByTestId('conversation-list').waitFor({ state: 'hidden' });
    const composer = await p.getByRole('textbox', { name: 'Reply' }).boundingBox();
    expect(composer!.width).toBeGreaterThan(300);
    expect(await fits()).toBeLessThanOrEqual(390);
    // Details open over the thread and close again.
    await p.getByRole('button', { name: 'Details' }).click();
    await p.getByRole('complementary', { name: 'Conversation details' }).waitFor();
    await p.getByRole('button', { name: 'Back to the conversation' }).click();
    await p.getByRole('complementary', { name: 'Conversation details' }).waitFor({ state: 'hidden' });
    // Back to the list.
    await p.getByRole('link', { name: 'Back to the list' }).click();
    await p.getByTestId('conversation-list').waitFor();
    await phone.close();
  });
});
