import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../apps/server/test/harness';
import { apiClient, CHROMIUM, ensureWebBuild, screenshot, startLive, VIEWPORT, type Api } from './support';

const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`\n*** e2e/customers.test.ts SKIPPED: ${CHROMIUM} not found (apt-get install -y chromium). ***\n`);
}

const PHONE = { width: 390, height: 844 };

type Customer = { id: string; name: string; email: string | null; phone: string | null; attributes: Record<string, unknown> };

/**
 * Customer 360 in a real browser against the real server: edit a profile and an attribute, write a note, search by
 * email domain and by a few digits of a phone number, and the phone layout (list, then profile, then back).
 */
describe.skipIf(!hasChromium)('customers: search and Customer 360 (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let api: Api;
  let cookie: string;
  const pageErrors: string[] = [];
  const owner = { accountName: 'Hopper Labs', name: 'Ada Lovelace', email: 'ada@hopper.test', password: 'correct horse battery' };
  let grace: Customer;

  function watch(p: Page): Page {
    p.setDefaultTimeout(10_000);
    p.on('pageerror', (err) => pageErrors.push(String(err)));
    return p;
  }

  async function signedInContext(viewport = VIEWPORT): Promise<BrowserContext> {
    const ctx = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'UTC' });
    const [name, value] = cookie.split('=') as [string, string];
    await ctx.addCookies([{ name, value, url: baseUrl }]);
    return ctx;
  }

  const customer = async (id: string) => (await api<{ data: Customer }>('GET', `/customers/${id}`)).data;

  beforeAll(async () => {
    await ensureWebBuild();
    ({ t, baseUrl, browser } = await startLive());
    const res = await fetch(`${baseUrl}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(owner),
    });
    expect(res.status).toBe(201);
    cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    api = apiClient(baseUrl, cookie);

    // A few customers at two companies, and a conversation so the history has something to show.
    const create = async (body: Record<string, unknown>) => (await api<{ data: Customer }>('POST', '/customers', body)).data;
    grace = await create({ name: 'Grace Hopper', email: 'grace@navy.example', phone: '+1 (415) 555-0123', language: 'en' });
    await create({ name: 'Alan Turing', email: 'alan@bletchley.example', phone: '+44 20 7946 0958' });
    await create({ name: 'Joan Clarke', email: 'joan@bletchley.example' });
    await create({ name: 'Katherine Johnson', email: 'katherine@nasa.example', phone: '+1 757 555 0199' });
    await api('POST', '/conversations', {
      customerId: grace.id,
      subject: 'Compiler licence renewal',
      message: { body: 'Our licence runs out next month. Can we renew for three years?' },
    });
    await api('POST', '/conversations', {
      customerId: grace.id,
      subject: 'Invoice address',
      message: { body: 'Please send invoices to the new office.' },
    });

    context = await signedInContext();
    page = watch(await context.newPage());
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('edits the profile and an attribute, adds a note, and sees the conversations across channels', async () => {
    await page.goto(`${baseUrl}/customers/${grace.id}`);
    await page.locator('.profile-name', { hasText: 'Grace Hopper' }).waitFor();
    await page.locator('.timeline', { hasText: 'Compiler licence renewal' }).waitFor();
    await page.locator('.timeline .channel-badge').first().waitFor();

    // Profile: focus lands on the first field; company and time zone are saved with the name.
    await page.getByRole('region', { name: 'Profile' }).getByRole('button', { name: 'Edit' }).click();
    const name = page.getByLabel('Name', { exact: true });
    await expect.poll(() => name.evaluate((el) => el === document.activeElement)).toBe(true);
    await name.fill('Grace B. Hopper');
    await page.getByLabel('Company').fill('US Navy');
    await page.getByLabel('Time zone').fill('Mars/Olympus');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    // A readable error next to the field, and nothing saved.
    await page.getByText('is not a known IANA time zone').waitFor();
    expect((await customer(grace.id)).name).toBe('Grace Hopper');
    await page.getByLabel('Time zone').fill('America/New_York');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('.profile-name', { hasText: 'Grace B. Hopper' }).waitFor();
    await page.locator('.c360-profile dd', { hasText: 'US Navy' }).waitFor();
    await page.locator('.c360-profile dd', { hasText: 'America/New_York' }).waitFor();
    // The list beside it follows the edit.
    await page.locator('.customer-list .row', { hasText: 'Grace B. Hopper' }).waitFor();
    let saved = await customer(grace.id);
    expect(saved).toMatchObject({ name: 'Grace B. Hopper', timeZone: 'America/New_York' });
    expect(saved.attributes).toEqual({ company: 'US Navy' });

    // Attributes: add a row, then change it.
    const attributes = page.getByRole('region', { name: 'Attributes' });
    await attributes.getByRole('button', { name: 'Add attribute' }).click();
    await attributes.getByLabel('Attribute 1 name').fill('plan');
    await attributes.getByLabel('Value of plan').fill('Enterprise');
    await attributes.getByRole('button', { name: 'Save attributes' }).click();
    await attributes.locator('dd', { hasText: 'Enterprise' }).waitFor();
    await attributes.getByRole('button', { name: 'Edit' }).click();
    await attributes.getByLabel('Value of plan').fill('Enterprise (3 years)');
    await attributes.getByRole('button', { name: 'Add attribute' }).click();
    await attributes.getByLabel('Attribute 2 name').fill('city');
    await attributes.getByLabel('Value of city').fill('Arlington');
    await attributes.getByRole('button', { name: 'Save attributes' }).click();
    await attributes.locator('dd', { hasText: 'Enterprise (3 years)' }).waitFor();
    saved = await customer(grace.id);
    expect(saved.attributes).toEqual({ company: 'US Navy', plan: 'Enterprise (3 years)', city: 'Arlington' });

    // Remove one again.
    await attributes.getByRole('button', { name: 'Edit' }).click();
    await attributes.getByRole('button', { name: 'Remove attribute city' }).click();
    await attributes.getByRole('button', { name: 'Save attributes' }).click();
    await attributes.getByRole('button', { name: 'Edit' }).waitFor();
    await expect.poll(async () => (await customer(grace.id)).attributes).toEqual({ company: 'US Navy', plan: 'Enterprise (3 years)' });

    // Notes: written here, listed in the card and on the history.
    const notes = page.getByRole('region', { name: 'Notes' });
    await notes.getByLabel('Note about this customer').fill('Decides on renewals herself; prefers email.');
    await notes.getByRole('button', { name: 'Add note' }).click();
    await notes.locator('.note-item', { hasText: 'Decides on renewals herself' }).waitFor();
    await expect(notes.getByLabel('Note about this customer').inputValue()).resolves.toBe('');
    await page.getByRole('tab', { name: 'All activity' }).click();
    await page.locator('.timeline .kind-note', { hasText: 'Decides on renewals herself' }).waitFor();
    const listed = await api<{ data: { body: string }[] }>('GET', `/customers/${grace.id}/notes`);
    expect(listed.data.map((n) => n.body)).toEqual(['Decides on renewals herself; prefers email.']);

    // Identities: add one; the profile keeps its primary email.
    const identities = page.getByRole('region', { name: 'Identities' });
    await identities.getByRole('button', { name: 'Add' }).click();
    await identities.getByLabel('Identity', { exact: true }).fill('grace.hopper@navy.example');
    await identities.getByRole('button', { name: 'Add', exact: true }).click();
    await identities.locator('.identity-list', { hasText: 'grace.hopper@navy.example' }).waitFor();

    await page.getByRole('tab', { name: 'Conversations' }).click();
    await page.locator('.timeline', { hasText: 'Invoice address' }).waitFor();
    await page.locator('.detail-pane').evaluate((el) => el.scrollTo(0, 0));
    await screenshot(page, 'customer-360');
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it("shows a teammate's profile edit, note and new conversation live, without a reload", async () => {
    await page.goto(`${baseUrl}/customers/${grace.id}`);
    await page.locator('.profile-name', { hasText: 'Grace B. Hopper' }).waitFor();
    await page.locator('[data-realtime="live"]').waitFor();
    // Another client (an integration, a teammate) changes things while the profile is open.
    await api('PATCH', `/customers/${grace.id}`, { segment: 'enterprise', vip: true });
    await page.locator('.c360-profile dd', { hasText: 'enterprise' }).waitFor();
    await page.locator('.profile-name .badge.vip').waitFor();
    await api('POST', `/customers/${grace.id}/notes`, { body: 'Called about the renewal quote.' });
    await page.locator('.note-item', { hasText: 'Called about the renewal quote.' }).waitFor();
    await api('POST', '/conversations', {
      customerId: grace.id,
      subject: 'Training for the new team',
      message: { body: 'Do you offer training?' },
    });
    await page.locator('.timeline', { hasText: 'Training for the new team' }).waitFor();
    // The list beside it follows too.
    await page.locator('.customer-list .row', { hasText: 'Grace B. Hopper' }).locator('.badge.vip').waitFor();
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('searches by email domain and by a few digits of a phone number', async () => {
    await page.goto(`${baseUrl}/customers`);
    const search = page.getByLabel('Search customers');
    const names = () => page.locator('.customer-list .row .row-name .truncate').allInnerTexts();

    await search.fill('bletchley.example');
    await page.waitForURL(/q=bletchley\.example/);
    await expect.poll(names).toEqual(['Joan Clarke', 'Alan Turing']);
    await search.fill('@navy.example');
    await expect.poll(names).toEqual(['Grace B. Hopper']);

    // Digits anywhere, whatever the spaces, dashes or brackets.
    await search.fill('5550123');
    await expect.poll(names).toEqual(['Grace B. Hopper']);
    await search.fill('7946-0958');
    await expect.poll(names).toEqual(['Alan Turing']);
    await search.fill('555 01');
    await expect.poll(names).toEqual(['Katherine Johnson', 'Grace B. Hopper']);

    await search.fill('nobody.example');
    await page.getByText('No customer matches “nobody.example”').waitFor();
    // Enter opens the first result.
    await search.fill('@nasa');
    await expect.poll(names).toEqual(['Katherine Johnson']);
    await search.press('Enter');
    await page.locator('.profile-name', { hasText: 'Katherine Johnson' }).waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('@nasa');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('at 390 px, the list and the profile are stacked screens with a way back, and nothing overflows', async () => {
    const phone = await signedInContext(PHONE);
    const p = watch(await phone.newPage());
    const fits = () => p.evaluate(() => document.documentElement.scrollWidth);
    await p.goto(`${baseUrl}/customers`);
    const row = p.locator('.customer-list .row', { hasText: 'Grace B. Hopper' });
    await row.waitFor();
    expect(await fits()).toBeLessThanOrEqual(390);
    expect(await p.locator('.detail-pane').isVisible()).toBe(false);

    await row.click();
    await p.locator('.profile-name', { hasText: 'Grace B. Hopper' }).waitFor();
    await p.locator('.timeline', { hasText: 'Compiler licence renewal' }).waitFor();
    expect(await p.locator('.list-pane').isVisible()).toBe(false);
    expect(await fits()).toBeLessThanOrEqual(390);
    await p.getByRole('region', { name: 'Profile' }).getByRole('button', { name: 'Edit' }).click();
    expect(await fits()).toBeLessThanOrEqual(390);
    await p.getByRole('button', { name: 'Cancel', exact: true }).click();
    await p.locator('.detail-pane').evaluate((el) => el.scrollTo(0, 0));
    await screenshot(p, 'customer-phone');

    await p.getByRole('link', { name: 'Back to customers' }).click();
    await p.waitForURL(/\/customers$/);
    await row.waitFor();
    expect(await p.locator('.list-pane').isVisible()).toBe(true);
    expect(await fits()).toBeLessThanOrEqual(390);

    await p.goto(`${baseUrl}/customers?view=duplicates`);
    await p.getByRole('heading', { name: 'Possible duplicates' }).waitFor();
    expect(await fits()).toBeLessThanOrEqual(390);
    await p.getByRole('link', { name: 'Back to customers' }).click();
    await row.waitFor();

    // A tablet keeps both panes side by side, and nothing overflows there either.
    await p.setViewportSize({ width: 768, height: 1024 });
    await row.click();
    await p.locator('.profile-name', { hasText: 'Grace B. Hopper' }).waitFor();
    expect(await p.locator('.list-pane').isVisible()).toBe(true);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
    await phone.close();
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
