import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../apps/server/test/harness';
import { apiClient, CHROMIUM, ensureWebBuild, screenshot, startLive, VIEWPORT, type Api } from './support';

const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`\n*** e2e/settings-people.test.ts SKIPPED: ${CHROMIUM} not found (apt-get install -y chromium). ***\n`);
}

const PHONE = { width: 390, height: 844 };

/**
 * The admin's People and Developers settings in a real browser against the real server: invite someone and let
 * them accept in another browser, set up a team with its offline rule, create an API key, and the phone layout.
 */
describe.skipIf(!hasChromium)('settings: people, teams, API keys (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let api: Api;
  let cookie: string;
  const pageErrors: string[] = [];
  const owner = { accountName: 'Northwind Support', name: 'Ada Lovelace', email: 'ada@northwind.test', password: 'correct horse battery' };

  /** A browser context signed in with the owner's session cookie. */
  async function signedInContext(viewport = VIEWPORT): Promise<BrowserContext> {
    const ctx = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'UTC' });
    const [name, value] = cookie.split('=') as [string, string];
    await ctx.addCookies([{ name, value, url: baseUrl }]);
    return ctx;
  }

  function watch(p: Page): Page {
    p.setDefaultTimeout(10_000);
    p.on('pageerror', (err) => pageErrors.push(String(err)));
    return p;
  }

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
    context = await signedInContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    page = watch(await context.newPage());
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('invites a user from the Users screen; they accept the link in another browser and land in the inbox', async () => {
    const { data: team } = await api<{ data: { id: string } }>('POST', '/teams', { name: 'Support' });
    await page.goto(`${baseUrl}/settings/users`);
    await page.getByRole('heading', { name: 'Users and invitations' }).waitFor();
    await page.locator('[data-user-id]', { hasText: owner.name }).waitFor();

    await page.locator('.section-header').getByRole('button', { name: 'Invite people' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite people' });
    const email = dialog.getByLabel('Email address');
    await email.waitFor();
    // Focus starts on the first field.
    await expect.poll(() => email.evaluate((el) => el === document.activeElement)).toBe(true);
    await email.fill('ben@northwind.test');
    await dialog.getByLabel('Role').selectOption({ label: 'Supervisor' });
    await dialog.getByLabel('Support').check();
    await dialog.getByRole('button', { name: 'Create invitation' }).click();

    const ready = page.getByRole('dialog', { name: 'Invitation ready' });
    const linkBox = ready.getByTestId('invite-link');
    await linkBox.waitFor();
    const link = await linkBox.inputValue();
    expect(link).toMatch(new RegExp(`^${baseUrl}/invite/[A-Za-z0-9_-]{20,}$`));
    await ready.getByRole('button', { name: 'Copy link' }).click();
    await ready.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await ready.getByRole('button', { name: 'Done' }).click();

    const pendingRow = page.locator('tr[data-invitation-id]', { hasText: 'ben@northwind.test' });
    await pendingRow.getByText('Pending').waitFor();
    await screenshot(page, 'settings-users');

    // The invitee opens the link signed out, in a browser of their own: no bounce to the login page.
    const invitee = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', timezoneId: 'UTC' });
    const p2 = watch(await invitee.newPage());
    await p2.goto(link);
    await p2.getByRole('heading', { name: 'Join your team on Touchpoint' }).waitFor();
    expect(new URL(p2.url()).pathname).toMatch(/^\/invite\//);
    await screenshot(p2, 'invite');
    await p2.getByLabel('Your name').fill('Ben Okafor');
    await p2.getByLabel('Choose a password').fill('short');
    await p2.getByRole('button', { name: 'Accept and join' }).click();
    await p2.getByText('Use at least 10 characters for your password.').waitFor();
    await p2.getByLabel('Choose a password').fill('a long enough passphrase');
    await p2.getByRole('button', { name: 'Accept and join' }).click();
    await p2.waitForURL('**/inbox');
    const me = await p2.evaluate(async () => (await fetch('/api/v1/me')).json());
    expect(me.data.user).toMatchObject({ name: 'Ben Okafor', email: 'ben@northwind.test' });
    expect(me.data.role).toBe('supervisor');
    expect(me.data.teamIds).toEqual([team.id]);
    await invitee.close();

    // A used link explains itself instead of failing silently.
    const stranger = await browser.newContext({ viewport: VIEWPORT });
    const p3 = watch(await stranger.newPage());
    await p3.goto(link);
    await p3.getByLabel('Your name').fill('Someone Else');
    await p3.getByLabel('Choose a password').fill('another long passphrase');
    await p3.getByRole('button', { name: 'Accept and join' }).click();
    await p3.getByTestId('invite-error').getByText('This invitation was already used').waitFor();
    await p3.goto(`${baseUrl}/invite/not-a-real-token-at-all-0000`);
    await p3.getByLabel('Your name').fill('Someone Else');
    await p3.getByLabel('Choose a password').fill('another long passphrase');
    await p3.getByRole('button', { name: 'Accept and join' }).click();
    await p3.getByTestId('invite-error').getByText('This invitation link is not valid').waitFor();
    await stranger.close();

    // The admin sees the new member, and the invitation has left the pending list.
    await page.reload();
    const benRow = page.locator('tr[data-user-id]', { hasText: 'Ben Okafor' });
    await benRow.getByText('Active').waitFor();
    expect(await benRow.getByLabel('Role of Ben Okafor').inputValue()).toBe('supervisor');
    await page.getByText('No pending invitations').waitFor();
  }, 90_000);

  it('creates a team, adds a member, returns offline agents’ conversations to the queue after 10 minutes, and keeps it', async () => {
    await page.goto(`${baseUrl}/settings/teams`);
    await page.getByRole('heading', { name: 'Teams', exact: true }).waitFor();
    await page.locator('.section-header').getByRole('button', { name: 'New team' }).click();
    const dialog = page.getByRole('dialog', { name: 'New team' });
    await dialog.getByLabel('Name').fill('Billing');
    await dialog.getByLabel('Description (optional)').fill('Invoices, refunds and VAT questions');
    await dialog.getByRole('button', { name: 'Create team' }).click();

    const detail = page.locator('.team-detail');
    await detail.getByRole('heading', { name: 'Billing' }).waitFor();
    await detail.getByLabel('Add a member').selectOption({ label: `${owner.name} (${owner.email})` });
    await detail.getByRole('button', { name: 'Add', exact: true }).click();
    await detail.locator('.member', { hasText: owner.name }).waitFor();

    await detail.getByLabel('Return them to the queue after').check();
    await detail.getByLabel('Minutes before returning conversations to the queue').fill('10');
    await detail.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Routing of Billing saved.').waitFor();

    const teamId = await detail.getAttribute('data-team-id');
    const routing = await api<{ data: { offlineConversations: unknown } }>('GET', `/teams/${teamId}/routing`);
    expect(routing.data.offlineConversations).toEqual({ mode: 'requeue', graceMinutes: 10 });
    const team = await api<{ data: { memberIds: string[]; name: string } }>('GET', `/teams/${teamId}`);
    expect(team.data.name).toBe('Billing');
    expect(team.data.memberIds).toHaveLength(1);

    await page.reload();
    await page.getByRole('button', { name: /^Billing/ }).click();
    const again = page.locator(`.team-detail[data-team-id="${teamId}"]`);
    await again.locator('.member', { hasText: owner.name }).waitFor();
    await expect.poll(() => again.getByLabel('Return them to the queue after').isChecked()).toBe(true);
    expect(await again.getByLabel('Minutes before returning conversations to the queue').inputValue()).toBe('10');
    expect(await again.getByLabel('Keep their conversations').isChecked()).toBe(false);
    await screenshot(page, 'settings-teams');
  }, 60_000);

  it('creates an API key and shows its secret once', async () => {
    await page.goto(`${baseUrl}/settings/api-keys`);
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByText('No API keys yet').waitFor();
    await page.locator('.section-header').getByRole('button', { name: 'Create API key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    await dialog.getByLabel('Name').fill('CRM sync');
    await dialog.getByLabel('Role').selectOption({ label: 'Agent' });
    await dialog.getByRole('button', { name: 'Create key' }).click();

    const shown = page.getByRole('dialog', { name: 'Copy your new API key' });
    const secret = await shown.getByTestId('api-key-secret').inputValue();
    expect(secret).toMatch(/^tp_/);
    await shown.getByText('This is the only time the key is shown').waitFor();
    await shown.getByRole('button', { name: 'Copy key' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    // The key works, with the role it was given.
    const me = await fetch(`${baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { data: { role: string } }).data.role).toBe('agent');

    await shown.getByRole('button', { name: 'I have copied it' }).click();
    const row = page.locator('tr[data-api-key-id]', { hasText: 'CRM sync' });
    await row.getByText('Active').waitFor();
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);

    // Revoking asks first, then the key stops working.
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog', { name: 'Revoke the key “CRM sync”?' }).getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('Revoked').waitFor();
    const after = await fetch(`${baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(after.status).toBe(401);
  }, 60_000);

  it('saves the account settings, and my notification preferences in this browser', async () => {
    await page.goto(`${baseUrl}/settings/account`);
    const name = page.getByLabel('Workspace name');
    await expect.poll(() => name.inputValue()).toBe(owner.accountName);
    await name.fill('Northwind Help');
    await page.getByLabel('Time zone').selectOption('Europe/Berlin');
    const toggle = page.getByRole('switch', { name: 'Agents become available when they open the workspace' });
    expect(await toggle.isChecked()).toBe(true);
    await toggle.press('Space');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Account settings saved.').waitFor();
    const { data } = await api<{ data: { name: string; timeZone: string; settings: { availableOnOpen: boolean } } }>('GET', '/account');
    expect(data).toMatchObject({ name: 'Northwind Help', timeZone: 'Europe/Berlin', settings: { availableOnOpen: false } });
    // The sidebar follows the new name.
    await page.locator('.workspace-name', { hasText: 'Northwind Help' }).waitFor();

    await page.goto(`${baseUrl}/settings/profile`);
    await page.getByRole('switch', { name: 'Play a sound' }).check();
    expect(await page.evaluate(() => localStorage.getItem('tp.notify'))).toBe('{"sound":true,"desktop":false}');

    // Their own name (PATCH /me); the sidebar's user menu follows.
    await page.getByRole('button', { name: 'Change name' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill('Ada King');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('.user-name', { hasText: 'Ada King' }).waitFor();
    await page.getByRole('button', { name: 'Change name' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill('Ada Lovelace'); // the later tests look for her
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('.user-name', { hasText: 'Ada Lovelace' }).waitFor();
  }, 60_000);

  it('at 390x844, the settings list and a section are stacked screens with a back link, and nothing is wider than the screen', async () => {
    const phone = await signedInContext(PHONE);
    const p = watch(await phone.newPage());
    const fits = () =>
      p.evaluate(() => {
        const wide = [...document.querySelectorAll<HTMLElement>('.settings-body, .settings-nav, .settings-table-wrap, .settings-card')]
          .filter((el) => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
          .map((el) => `${el.className}: ${el.scrollWidth} > ${el.clientWidth}`);
        return { page: document.documentElement.scrollWidth, wide };
      });

    await p.goto(`${baseUrl}/settings`);
    const nav = p.getByRole('navigation', { name: 'Settings' });
    await nav.getByRole('link', { name: 'Users and invitations' }).waitFor();
    expect(await p.locator('.settings-body').isVisible()).toBe(false);
    const listFit = await fits();
    expect(listFit.wide).toEqual([]);
    expect(listFit.page).toBeLessThanOrEqual(390);

    await nav.getByRole('link', { name: 'Users and invitations' }).click();
    await p.waitForURL('**/settings/users');
    await p.locator('tr[data-user-id]', { hasText: owner.name }).waitFor();
    expect(await nav.isVisible()).toBe(false);
    const back = p.locator('a.settings-back');
    expect(await back.isVisible()).toBe(true);
    const usersFit = await fits();
    expect(usersFit.wide).toEqual([]);
    expect(usersFit.page).toBeLessThanOrEqual(390);
    await screenshot(p, 'settings-phone');

    // Every section of this screen set fits the phone too.
    for (const [section, heading] of [
      ['account', 'Account'],
      ['profile', 'My preferences'],
      ['teams', 'Teams'],
      ['skills', 'Skills'],
      ['api-keys', 'API keys'],
      ['failed-jobs', 'Failed jobs'],
    ] as const) {
      await p.goto(`${baseUrl}/settings/${section}`);
      await p.getByRole('heading', { name: heading, exact: true, level: 2 }).waitFor();
      await p.waitForLoadState('networkidle');
      const f = await fits();
      expect(f.wide, section).toEqual([]);
      expect(f.page, section).toBeLessThanOrEqual(390);
    }

    await back.click();
    await p.waitForURL(/\/settings$/);
    await nav.getByRole('link', { name: 'Teams' }).waitFor();
    await phone.close();
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
