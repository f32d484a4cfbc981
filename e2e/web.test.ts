import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../apps/server/test/harness';
import { apiClient, CHROMIUM, ensureWebBuild, screenshot, seedConversations, SEEDS, startLive, VIEWPORT, type Api } from './support';

const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `\n*** e2e/web.test.ts SKIPPED: ${CHROMIUM} not found. Install it with \`apt-get install -y chromium\` (Debian) to run the browser journey. ***\n`,
  );
}

/**
 * The agent journey in a real browser against the real server (PGlite or PostgreSQL, like every test):
 * sign up -> start a conversation -> reply -> see a message from another client arrive live over the
 * WebSocket -> log out -> log in again. With SCREENSHOTS=1 it also refreshes docs/screenshots/*.png.
 */
describe.skipIf(!hasChromium)('web app journey (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let api: Api;
  let conversationId: string;
  const pageErrors: string[] = [];
  // Every test file has a database of its own, so fixed addresses cannot collide.
  const owner = { accountName: 'Acme Support', name: 'Ada Lovelace', email: 'ada@acme.test', password: 'correct horse battery' };
  const customer = { name: 'Grace Hopper', email: 'grace@example.com' };

  beforeAll(async () => {
    await ensureWebBuild();
    ({ t, baseUrl, browser } = await startLive());
    context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', timezoneId: 'UTC' });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (err) => pageErrors.push(String(err)));
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const sessionCookie = async () => {
    const c = (await context.cookies(baseUrl)).find((x) => x.name === 'tp_session');
    if (!c) throw new Error('no tp_session cookie in the browser');
    return `tp_session=${c.value}`;
  };
  const thread = () => page.getByTestId('thread');

  it('signs up a new account through the UI and lands in an empty inbox', async () => {
    await page.goto(`${baseUrl}/`);
    await page.waitForURL('**/login');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Company or team name').fill(owner.accountName);
    await page.getByLabel('Your name').fill(owner.name);
    await page.getByLabel('Work email').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Create workspace' }).click();

    await page.waitForURL('**/inbox');
    await page.getByText('No open conversations — nice work').waitFor();
    await page.locator('[data-realtime="live"]').waitFor();
    api = apiClient(baseUrl, await sessionCookie());
  }, 60_000);

  it('starts a conversation from the New conversation dialog and replies in the thread', async () => {
    await page.getByRole('button', { name: 'New', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'New conversation' });
    await dialog.getByLabel('Customer name').fill(customer.name);
    await dialog.getByLabel('Customer email').fill(customer.email);
    await dialog.getByLabel('Subject (optional)').fill('Cannot update my billing address');
    await dialog.getByLabel('Log a message the customer sent').check();
    await dialog.getByRole('textbox', { name: 'Message' }).fill('Hello, the billing page will not save my new address.');
    await dialog.getByRole('button', { name: 'Create conversation' }).click();

    await page.waitForURL(/\/inbox\/[0-9a-f-]{36}/);
    conversationId = new URL(page.url()).pathname.split('/')[2]!;
    await thread().getByText('Hello, the billing page will not save my new address.').waitFor();
    await page.locator('.conversation-header', { hasText: 'Cannot update my billing address' }).waitFor();

    const reply = 'Thanks Grace! I have updated the address for you — it shows on your next invoice.';
    await page.getByRole('textbox', { name: 'Reply' }).fill(reply);
    await page.keyboard.press('Control+Enter');
    // Shown at once (optimistic), then confirmed by the server.
    await thread().locator('.message.outgoing:not(.pending)', { hasText: reply }).waitFor();
    await expect.poll(() => page.getByRole('textbox', { name: 'Reply' }).inputValue()).toBe('');

    // An internal note is visibly different from a reply.
    await page.getByRole('tab', { name: 'Internal note' }).click();
    await page.getByRole('textbox', { name: 'Internal note' }).fill('Customer is on the annual plan.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await thread().locator('.message.note', { hasText: 'Customer is on the annual plan.' }).getByText('Internal note').waitFor();

    // Files: a refused type is explained before any upload; an allowed one is sent with the reply and downloads.
    await page.getByRole('tab', { name: 'Reply' }).click();
    await page.getByTestId('attach-input').setInputFiles({ name: 'page.html', mimeType: 'text/html', buffer: Buffer.from('<b>x</b>') });
    await page.getByRole('alert').filter({ hasText: 'cannot be attached' }).waitFor();
    const receipt = Buffer.from('%PDF-1.4 receipt for Grace');
    await page.getByTestId('attach-input').setInputFiles({ name: 'receipt.pdf', mimeType: 'application/pdf', buffer: receipt });
    await page.getByTestId('pending-upload').filter({ hasText: 'receipt.pdf' }).waitFor();
    await page.getByRole('button', { name: 'Send' }).click();
    const sentFile = thread().locator('.message.outgoing:not(.pending) .attachment-chip', { hasText: 'receipt.pdf' });
    await sentFile.waitFor();
    expect(await page.getByTestId('pending-upload').count()).toBe(0);
    const href = await sentFile.getAttribute('href');
    const downloaded = await page.evaluate(async (url) => (await fetch(url!, { credentials: 'include' })).text(), href);
    expect(downloaded).toBe(receipt.toString());
  }, 60_000);

  it('shows conversations and messages created by another client live, without a reload', async () => {
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    const me = await api<{ data: { user: { id: string } } }>('GET', '/me');

    // Other conversations arrive in the list over the WebSocket.
    const seeded = await seedConversations(api, process.env.SCREENSHOTS === '1' ? SEEDS : SEEDS.slice(0, 2), me.data.user.id);
    for (const id of seeded) await page.locator(`[data-conversation-id="${id}"]`).waitFor();

    // The customer writes again (through the API, as a channel integration would): it appears in the open
    // thread and moves the conversation back to the top of the list.
    const body = 'It works now, thank you!';
    await api('POST', `/conversations/${conversationId}/messages`, { kind: 'incoming', body });
    await thread().locator('.message.incoming', { hasText: body }).waitFor();
    await expect
      .poll(() => page.locator('.conversation-list .row').first().getAttribute('data-conversation-id'), { timeout: 10_000 })
      .toBe(conversationId);
    await page.locator(`[data-conversation-id="${conversationId}"] .row-preview`, { hasText: 'It works now, thank you!' }).waitFor();

    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

    if (process.env.SCREENSHOTS === '1') {
      await page.goto(`${baseUrl}/inbox/${conversationId}?status=open&view=all`);
      await page.locator('.conversation-list .row').nth(4).waitFor();
      await thread().locator('.message.incoming', { hasText: body }).waitFor();
      await screenshot(page, 'inbox');
      await page.locator(`[data-conversation-id="${seeded[1]}"]`).click();
      await thread().getByText('Since this morning').waitFor();
      await page.getByRole('tab', { name: 'Internal note' }).click();
      await page
        .getByRole('textbox', { name: 'Internal note' })
        .fill('Looks like the IdP certificate rotated last night. Looping in @Sam from platform.');
      await screenshot(page, 'inbox-note');
    }
  }, 60_000);

  it('finds the customer on the Customers page with identities and timeline', async () => {
    if (process.env.SCREENSHOTS === '1') {
      const { data } = await api<{ data: { customerId: string } }>('GET', `/conversations/${conversationId}`);
      await api('PATCH', `/customers/${data.customerId}`, {
        phone: '+1 415 555 0142',
        segment: 'enterprise',
        vip: true,
        language: 'en',
        attributes: { plan: 'Annual', company: 'Hopper Labs' },
      });
    }
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.waitForURL('**/customers');
    await page.getByLabel('Search customers').fill('grace');
    const row = page.locator('.conversation-list .row', { hasText: customer.name });
    await row.waitFor();
    await row.click();
    await page.locator('.profile-name', { hasText: customer.name }).waitFor();
    await page.locator('.identity-list', { hasText: customer.email }).waitFor();
    await page.locator('.timeline').getByText('Cannot update my billing address').first().waitFor();
    await page.getByLabel('Search customers').fill('');
    await page.locator('.conversation-list .row').nth(1).waitFor();
    await screenshot(page, 'customers');
  }, 60_000);

  it('tags, prioritises, resolves and reopens a conversation from its header and details', async () => {
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.locator(`[data-conversation-id="${conversationId}"]`).click();
    await thread().waitFor();
    const current = async () =>
      (await api<{ data: { status: string; priority: string; tags: string[] } }>('GET', `/conversations/${conversationId}`)).data;

    await page.getByRole('textbox', { name: 'Add tag' }).fill('Billing');
    await page.keyboard.press('Enter');
    await page.locator('.details .tag', { hasText: 'billing' }).waitFor();
    await expect.poll(async () => (await current()).tags, { timeout: 10_000 }).toEqual(['billing']);

    await page.getByRole('combobox', { name: 'Priority' }).selectOption('high');
    await expect.poll(async () => (await current()).priority, { timeout: 10_000 }).toBe('high');

    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.locator('.conversation-header .badge', { hasText: 'Resolved' }).waitFor();
    await page.locator(`.conversation-list [data-conversation-id="${conversationId}"]`).waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: 'Resolved' }).click();
    await page.locator(`[data-conversation-id="${conversationId}"]`).waitFor();

    await page.getByRole('button', { name: 'Reopen' }).click();
    await page.locator('.conversation-header .badge', { hasText: 'Open' }).waitFor();
    expect((await current()).status).toBe('open');
    await page.getByRole('tab', { name: 'Open' }).click();
    await page.locator(`[data-conversation-id="${conversationId}"]`).waitFor();
  }, 60_000);

  it('logs out, refuses a wrong password, and logs in again', async () => {
    await page.locator('.user-button').click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    expect((await context.cookies(baseUrl)).find((c) => c.name === 'tp_session')?.value ?? '').toBe('');
    // The session is revoked on the server, not just forgotten by the browser.
    await expect(api('GET', '/me')).rejects.toThrow(/-> 401/);
    await screenshot(page, 'login');

    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('That email and password do not match').waitFor();

    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/inbox');
    await page.locator(`[data-conversation-id="${conversationId}"]`).waitFor();
    api = apiClient(baseUrl, await sessionCookie());
  }, 60_000);

  it('makes the agent available on opening the workspace, shows their own status and lets them change it', async () => {
    // Opening the workspace made the offline owner available: the web chat now offers a live chat.
    const status = page.locator('[data-presence]');
    await expect.poll(() => status.getAttribute('data-presence')).toBe('online');
    const { data: me } = await api<{ data: { state: string } }>('GET', '/presence/me');
    expect(me.state).toBe('online');
    const { data: channels } = await api<{ data: { id: string; kind: string }[] }>('GET', '/channels');
    const web = channels.find((c) => c.kind === 'web')!;
    const config = async () => (await (await fetch(`${baseUrl}/api/v1/widget/${web.id}/config`)).json()).data as { online: boolean };
    expect((await config()).online).toBe(true);

    // Away: no new conversations, and the widget offers its offline form instead.
    await status.click();
    await page.getByRole('menuitemradio', { name: /Away/ }).click();
    await expect.poll(() => status.getAttribute('data-presence')).toBe('away');
    expect((await api<{ data: { state: string } }>('GET', '/presence/me')).data.state).toBe('away');
    expect((await config()).online).toBe(false);

    // A chosen state survives a reload (only "offline" is made available on opening).
    await page.reload();
    await expect.poll(() => page.locator('[data-presence]').getAttribute('data-presence')).toBe('away');
    await page.locator('[data-presence]').click();
    await page.getByRole('menuitemradio', { name: /Online/ }).click();
    await expect.poll(() => page.locator('[data-presence]').getAttribute('data-presence')).toBe('online');
  }, 60_000);

  it('renders markup sent by a customer as plain text', async () => {
    const body = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> \'; DROP TABLE messages; --';
    await api('POST', `/conversations/${conversationId}/messages`, { kind: 'incoming', body });
    await page.locator(`[data-conversation-id="${conversationId}"]`).click();
    await thread().locator('.message.incoming .bubble', { hasText: body }).waitFor();
    expect(await thread().locator('img, script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
