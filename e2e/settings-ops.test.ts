import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../apps/server/test/harness';
import { apiClient, CHROMIUM, ensureWebBuild, screenshot, startLive, VIEWPORT, type Api } from './support';

const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.warn(`\n*** e2e/settings-ops.test.ts SKIPPED: ${CHROMIUM} not found (apt-get install -y chromium). ***\n`);

interface Conversation {
  id: string;
  tags: string[];
}
interface Sla {
  policyName: string;
  firstResponse: { status: string; dueAt: string | null };
}

/**
 * The operations settings in a real browser, each journey an admin does without the API: a web chat channel and
 * its snippet, an SLA policy timing a new conversation, an automation rule acting on a customer message (and its
 * run in the history), a macro with a variable and its preview, and the channels screen on a phone.
 */
describe.skipIf(!hasChromium)('settings: channels, SLA, automation, macros (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let api: Api;
  const pageErrors: string[] = [];
  const owner = { accountName: 'Northwind Support', name: 'Olivia Ops', email: 'olivia@northwind.test', password: 'correct horse battery' };

  /** A customer writes in (as the API channel would deliver it): the conversation and its first message. */
  const customerWrites = async (name: string, email: string, body: string, subject?: string) => {
    const { data } = await api<{ data: { conversation: Conversation } }>('POST', '/conversations', {
      customer: { name, email },
      ...(subject ? { subject } : {}),
      message: { kind: 'incoming', body },
    });
    await t.settle();
    return data.conversation;
  };

  beforeAll(async () => {
    await ensureWebBuild();
    ({ t, baseUrl, browser } = await startLive());
    const res = await fetch(`${baseUrl}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(owner),
    });
    expect(res.status).toBe(201);
    const session = /tp_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!;
    api = apiClient(baseUrl, `tp_session=${session}`);
    context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', timezoneId: 'UTC' });
    await context.addCookies([{ name: 'tp_session', value: session, url: baseUrl }]);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (err) => pageErrors.push(String(err)));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('creates a web chat channel and copies its snippet', async () => {
    await page.goto(`${baseUrl}/settings/channels`);
    await page.getByRole('heading', { name: 'Channels', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Add channel' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add a channel' });
    // The dialog opens on its first field: the kind.
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('channel-family');
    await dialog.getByRole('radio', { name: /Web chat/ }).check();
    await dialog.getByLabel('Name').fill('Store chat');
    await dialog.getByLabel('Greeting').fill('Hi! Ask us anything about your order.');
    await dialog.getByRole('button', { name: 'Add channel' }).click();
    await dialog.waitFor({ state: 'detached' });

    const { data: channels } = await api<{ data: { id: string; name: string; kind: string }[] }>('GET', '/channels');
    const store = channels.find((c) => c.name === 'Store chat')!;
    expect(store.kind).toBe('web');

    // The new channel's setup opens by itself, with the snippet to paste.
    const setup = page.getByRole('region', { name: 'Set up Store chat' });
    const snippet = setup.getByLabel('Embed snippet');
    await expect.poll(() => snippet.textContent()).toContain(store.id);
    expect(await snippet.textContent()).toContain('/widget.js');
    await setup.getByRole('button', { name: 'Copy snippet' }).click();
    await setup.getByRole('button', { name: 'Copied' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain(`data-channel="${store.id}"`);
    expect(copied).toContain(`${baseUrl}/widget.js`);
    // A secret for identify() is shown once, right after creating it.
    await setup.getByRole('button', { name: 'Copy secret' }).waitFor();
    await screenshot(page, 'settings-channels');
  }, 60_000);

  it('adds an email channel, edits it, disables it and deletes it with a confirmation', async () => {
    await page.getByRole('button', { name: 'Add channel' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add a channel' });
    await dialog.getByRole('radio', { name: /Email/ }).check();
    await dialog.getByLabel('Name', { exact: true }).fill('Support inbox');
    await dialog.getByLabel('Support address', { exact: true }).fill('not-an-address');
    await dialog.getByRole('button', { name: 'Add channel' }).click();
    await dialog.getByText('Enter an email address such as support@example.com.').waitFor();
    await dialog.getByLabel('Support address', { exact: true }).fill('help@northwind.test');
    await dialog.getByRole('button', { name: 'Add channel' }).click();
    await dialog.waitFor({ state: 'detached' });
    const setup = page.getByRole('region', { name: 'Set up Support inbox' });
    await setup.getByText('Customers write to help@northwind.test.', { exact: false }).waitFor();

    const row = page.locator('.channel-item', { hasText: 'Support inbox' });
    await row.getByRole('button', { name: 'Edit Support inbox' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Support inbox' });
    await edit.getByLabel('Sender name').fill('Northwind Help');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.waitFor({ state: 'detached' });
    type Ch = { id: string; name: string; enabled: boolean; config: Record<string, unknown> };
    const find = async () => (await api<{ data: Ch[] }>('GET', '/channels')).data.find((c) => c.name === 'Support inbox');
    await expect.poll(async () => (await find())?.config).toEqual({ address: 'help@northwind.test', fromName: 'Northwind Help' });

    await row.getByRole('switch', { name: 'Enabled: Support inbox' }).click({ force: true });
    await row.getByText('Disabled', { exact: true }).waitFor();
    expect((await find())?.enabled).toBe(false);

    await row.getByRole('button', { name: 'Delete Support inbox' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete Support inbox?' });
    await confirm.getByRole('button', { name: 'Delete channel' }).click();
    await row.waitFor({ state: 'detached' });
    expect(await find()).toBeUndefined();
  }, 60_000);

  it('creates an SLA policy with a first-response target and times a new conversation with it', async () => {
    await page.goto(`${baseUrl}/settings/sla`);
    await page.getByText('No SLA policies yet').waitFor();
    await page.getByRole('button', { name: 'Add policy' }).first().click();
    const form = page.getByRole('form', { name: 'New SLA policy' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('placeholder'))).toBe('Standard');
    await form.getByLabel('Name').fill('Standard');
    await form.getByLabel('First response', { exact: true }).fill('30');
    await form.getByLabel('First response (Unit)').selectOption('minutes');
    await form.getByLabel('Resolution', { exact: true }).fill('1');
    await form.getByLabel('Resolution (Unit)').selectOption('days');
    await form.getByRole('checkbox', { name: 'High' }).check();
    await form.getByRole('checkbox', { name: 'Urgent' }).check();
    await form.getByRole('checkbox', { name: 'Normal' }).check();
    await form.getByRole('checkbox', { name: 'Low' }).check();
    await form.getByLabel('Raise priority to').selectOption('urgent');
    await screenshot(page, 'settings-sla');
    await form.getByRole('button', { name: 'Save policy' }).click();

    const row = page.locator('.sla-list li', { hasText: 'Standard' });
    await row.getByText('First response 30 min · Resolution 1 d').waitFor();
    await row.getByText('Priority low, normal, high, urgent').waitFor();

    const conversation = await customerWrites('Ravi Patel', 'ravi@example.com', 'My parcel has not arrived yet.', 'Late parcel');
    const { data: sla } = await api<{ data: Sla | null }>('GET', `/conversations/${conversation.id}/sla`);
    expect(sla?.policyName).toBe('Standard');
    expect(sla?.firstResponse.status).toBe('pending');
    const due = new Date(sla!.firstResponse.dueAt!).getTime() - Date.now();
    expect(due).toBeGreaterThan(25 * 60_000);
    expect(due).toBeLessThanOrEqual(30 * 60_000);
  }, 60_000);

  it('creates an automation rule that tags refund requests, and lists its run in the history', async () => {
    await page.goto(`${baseUrl}/settings/automation`);
    await page.getByText('No automation rules yet').waitFor();
    await page.getByRole('button', { name: 'New rule' }).first().click();
    const form = page.getByRole('form', { name: 'New automation rule' });
    await form.getByLabel('Name').fill('Tag refund requests');
    await form.getByLabel('Trigger').selectOption({ label: 'A message is added' });
    await form.getByLabel('Field 1').selectOption({ label: 'Message text' });
    await form.getByLabel('Operator 1').selectOption({ label: 'contains' });
    await form.getByLabel('Value 1').fill('refund');
    await form.getByRole('button', { name: 'Add condition' }).click();
    await form.getByLabel('Field 2').selectOption({ label: 'Message author' });
    await form.getByLabel('Value 2').selectOption({ label: 'Customer' });
    await form.getByLabel('Tags (Action 1)').fill('refund');
    await form.getByRole('button', { name: 'Add action' }).click();
    await form.getByLabel('Action 2', { exact: true }).selectOption({ label: 'Set priority' });
    await form.getByLabel('Priority (Action 2)').selectOption('high');
    await form.getByRole('button', { name: 'Save rule' }).click();

    const row = page.locator('.rule-item', { hasText: 'Tag refund requests' });
    await row.getByText(/then add tags refund and set priority: high/).waitFor();

    const conversation = await customerWrites('Mia Wong', 'mia@example.com', 'Hello, I have a question about my order.');
    await api('POST', `/conversations/${conversation.id}/messages`, { kind: 'incoming', body: 'Actually I would like a refund, please.' });
    await t.settle();
    const { data: after } = await api<{ data: Conversation & { priority: string } }>('GET', `/conversations/${conversation.id}`);
    expect(after.tags).toContain('refund');
    expect(after.priority).toBe('high');

    await row.getByRole('button', { name: 'History: Tag refund requests' }).click();
    const history = page.getByRole('region', { name: 'Recent runs of Tag refund requests' });
    await history.locator('[data-outcome="matched"]').getByText('Did: add tags refund and set priority: high').waitFor();
    await history.locator('[data-outcome="not_matched"]').first().waitFor();

    // A dry run checks the rule against recent conversations without acting.
    await row.getByRole('button', { name: 'Dry run: Tag refund requests' }).click();
    const dry = page.getByRole('dialog', { name: 'Dry run of Tag refund requests' });
    await dry.getByText(/of \d+ would match/).waitFor();
    await dry.getByText('Conditions on the message', { exact: false }).waitFor();
    await dry.getByRole('button', { name: 'Close' }).last().click();
    await screenshot(page, 'settings-automation');
  }, 60_000);

  it('creates a macro with a variable and previews it for a conversation', async () => {
    await customerWrites('Grace Hopper', 'grace@example.com', 'Can I change my delivery address?', 'Delivery address');
    await page.goto(`${baseUrl}/settings/macros`);
    await page.getByText('No macros yet').waitFor();
    await page.getByRole('button', { name: 'New macro' }).first().click();
    const form = page.getByRole('form', { name: 'New macro' });
    await form.getByLabel('Name').fill('Warm welcome');
    await form.getByLabel('Reply').fill('Hi ');
    await form.getByRole('button', { name: '{{customer.first_name}}' }).click();
    await form.getByLabel('Reply').press('End');
    await form.getByLabel('Reply').pressSequentially(', thanks for writing to {{account.name}}!');
    await form.getByLabel('Add tags').fill('welcome');
    await expect
      .poll(() => form.getByTestId('macro-sample-preview').textContent())
      .toBe('Hi Dana, thanks for writing to Northwind Support!');
    await form.getByRole('button', { name: 'Save macro' }).click();

    // Saving opens the server's preview for the most recent conversation (Grace's).
    const preview = page.getByRole('dialog', { name: 'Preview Warm welcome' });
    await expect.poll(() => preview.getByTestId('macro-preview').textContent()).toBe('Hi Grace, thanks for writing to Northwind Support!');
    await preview.getByText('Then: add tags welcome').waitFor();
    await screenshot(page, 'settings-macros');
    await preview.getByRole('button', { name: 'Close' }).last().click();
    await page.locator('.ops-item', { hasText: 'Warm welcome' }).getByText('Only you').waitFor();
  }, 60_000);

  it('fits the channels screen on a 390 px phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${baseUrl}/settings/channels`);
    const row = page.locator('.channel-item', { hasText: 'Store chat' });
    await row.waitFor();
    const width = () => page.evaluate(() => document.documentElement.scrollWidth);
    expect(await width()).toBeLessThanOrEqual(390);
    await row.getByRole('button', { name: 'Setup' }).click();
    await row.getByLabel('Embed snippet').waitFor();
    expect(await width()).toBeLessThanOrEqual(390);
    await page.getByRole('button', { name: 'Add channel' }).first().click();
    await page.getByRole('dialog', { name: 'Add a channel' }).getByRole('radio', { name: /Email/ }).check();
    expect(await width()).toBeLessThanOrEqual(390);
    await page.setViewportSize(VIEWPORT);
  }, 60_000);

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
