import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../apps/server/test/harness';
import { recordClaimedIdentity } from '../apps/server/src/modules/customers';
import { systemCtx } from '../apps/server/src/platform/context';
import { command } from '../apps/server/src/platform/tx';
import { DEMO_LOGIN, seedDemo } from '../apps/server/src/seed/demo';
import { apiClient, CHROMIUM, ensureWebBuild, ROOT, screenshot, startLive, VIEWPORT, type Api } from './support';

const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.warn(`\n*** e2e/conversation.test.ts SKIPPED: ${CHROMIUM} not found (apt-get install -y chromium). ***\n`);

/** The bell lives in the sidebar (components/layout.tsx); its journey runs once the layout shows it. */
const layoutHasBell = fs.readFileSync(path.join(ROOT, 'apps/web/src/components/layout.tsx'), 'utf8').includes('NotificationsBell');

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

interface Conversation {
  id: string;
  status: string;
  priority: string;
  assigneeId: string | null;
  channelId: string;
  snoozedUntil: string | null;
}

/**
 * The conversation pane in a real browser, on the demo account (macros, teams, teammates, an SLA policy): a web chat
 * visitor answered with a macro from the `/` picker, an @mention that reaches a teammate's bell, activity entries in
 * the thread, and SLA countdowns. With SCREENSHOTS=1 it refreshes docs/screenshots/conversation(-phone).png.
 */
describe.skipIf(!hasChromium)('conversation pane (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let api: Api;
  let meId: string;
  const pageErrors: string[] = [];

  /** A session for a demo teammate (the demo password is everyone's), as a cookie value. */
  async function login(email: string): Promise<string> {
    const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: DEMO_LOGIN.password }),
    });
    expect(res.status).toBe(200);
    return /tp_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!;
  }

  async function newAgentPage(session: string, viewport = VIEWPORT): Promise<{ ctx: BrowserContext; p: Page }> {
    const ctx = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'UTC' });
    await ctx.addCookies([{ name: 'tp_session', value: session, url: baseUrl }]);
    const p = await ctx.newPage();
    p.setDefaultTimeout(10_000);
    p.on('pageerror', (err) => pageErrors.push(String(err)));
    return { ctx, p };
  }

  const thread = (p: Page = page) => p.getByTestId('thread');
  const conversation = async (id: string) => (await api<{ data: Conversation }>('GET', `/conversations/${id}`)).data;
  /** Run the listener jobs (routing, SLA clock, notifications): the test server has no worker polling. */
  const settle = () => t.settle();

  beforeAll(async () => {
    await ensureWebBuild();
    await ensureWidgetBuild();
    ({ t, baseUrl, browser } = await startLive());
    await seedDemo(t);
    context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', timezoneId: 'UTC' });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (err) => pageErrors.push(String(err)));

    // The demo agent signs in; opening the workspace makes them available, so the widget offers a live chat.
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('Email').fill(DEMO_LOGIN.email);
    await page.getByLabel('Password').fill(DEMO_LOGIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/inbox**');
    await page.locator('[data-realtime="live"]').waitFor();
    await page.locator('[data-presence="online"]').waitFor();
    const cookie = (await context.cookies(baseUrl)).find((c) => c.name === 'tp_session')!;
    api = apiClient(baseUrl, `tp_session=${cookie.value}`);
    meId = (await api<{ data: { user: { id: string } } }>('GET', '/me')).data.user.id;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('a web chat visitor writes, the agent answers with a macro from the / picker, and the visitor gets it', async () => {
    const visitor = await (await browser.newContext({ viewport: VIEWPORT, locale: 'en-US' })).newPage();
    visitor.setDefaultTimeout(10_000);
    visitor.on('pageerror', (err) => pageErrors.push(String(err)));
    await visitor.goto(`${baseUrl}/demo`);
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    const frame = visitor.frameLocator('iframe[title="Chat"]');
    await frame.getByLabel('Message').fill('Hi, has parcel NW-4821 left the warehouse?');
    await frame.getByRole('button', { name: 'Send' }).click();
    await frame.locator('[data-from="visitor"][data-state="stored"]', { hasText: 'parcel NW-4821' }).waitFor();
    await settle(); // routing

    // It arrives live in the agent's inbox; the agent opens it.
    const row = page.locator('.conversation-list [data-conversation-id]', { hasText: 'parcel NW-4821' });
    await row.waitFor();
    const id = (await row.getAttribute('data-conversation-id'))!;
    await row.click();
    await thread().getByText('Hi, has parcel NW-4821 left the warehouse?').waitFor();

    // `/` opens the macro picker: every macro, keyboard to move, typing filters, the preview is rendered for this conversation.
    const composer = page.getByRole('textbox', { name: 'Reply' });
    await composer.click();
    await page.keyboard.type('/');
    const picker = page.getByTestId('macro-picker');
    await picker.waitFor();
    const options = picker.getByRole('option');
    await expect.poll(() => options.count()).toBe(4);
    await expect.poll(() => options.nth(0).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => options.nth(1).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached' });
    await page.keyboard.type('ship');
    await picker.waitFor();
    await expect.poll(() => options.count()).toBe(1);
    await picker.getByTestId('macro-preview').getByText('your order has shipped').waitFor();
    await picker.getByText('Status Pending').waitFor();
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });

    // The rendered text is in the composer for the agent to edit; the macro's actions wait for the send.
    await expect.poll(() => composer.inputValue()).toContain('your order has shipped');
    expect(await composer.inputValue()).not.toContain('{{');
    await page.getByTestId('macro-staged').getByText('Tags shipping').waitFor();
    expect((await conversation(id)).status).toBe('open');
    await composer.press('End');
    await page.keyboard.type(' It left our warehouse this morning.');
    await page.keyboard.press('Control+Enter');
    const sent = thread().locator('.message.outgoing:not(.pending)', { hasText: 'It left our warehouse this morning.' });
    await sent.waitFor();

    // The visitor gets the edited reply live; the macro's actions were applied after it.
    await frame.locator('[data-from="agent"]', { hasText: 'your order has shipped. The tracking link' }).waitFor();
    await frame.locator('[data-from="agent"]', { hasText: 'It left our warehouse this morning.' }).waitFor();
    await page.locator('.conversation-header .badge', { hasText: 'Pending' }).waitFor();
    await expect.poll(async () => (await conversation(id)).status).toBe('pending');
    await thread()
      .locator('[data-testid="activity"][data-type="conversation.status_changed"]', { hasText: 'You marked this conversation pending' })
      .waitFor();
    await thread().locator('[data-testid="activity"][data-type="conversation.tags_changed"]', { hasText: '“shipping”' }).waitFor();
    await visitor.context().close();
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('an internal note @mentions a teammate, who sees it in their notifications bell; both see who is viewing', async () => {
    const { data } = await api<{ data: { conversation: { id: string } } }>('POST', '/conversations', {
      customer: { name: 'Grace Hopper', email: 'grace@example.com' },
      subject: 'Invoice shows the wrong VAT number',
      message: { kind: 'incoming', body: 'Our March invoice still shows our old VAT number.' },
    });
    const id = data.conversation.id;
    await settle();
    const sam = await newAgentPage(await login('sam@touchpoint.dev'));
    const samApi = apiClient(baseUrl, `tp_session=${(await sam.ctx.cookies(baseUrl)).find((c) => c.name === 'tp_session')!.value}`);
    type Bell = { data: { kind: string; conversationId: string; preview: string | null }[]; unreadCount: number };
    const unreadBefore = (await samApi<Bell>('GET', '/notifications')).unreadCount;
    await sam.p.goto(`${baseUrl}/inbox/${id}`);
    await thread(sam.p).getByText('Our March invoice').waitFor();
    await page.goto(`${baseUrl}/inbox/${id}`);
    await thread().getByText('Our March invoice').waitFor();

    // Collision detection: each sees the other, never themselves.
    await page.getByTestId('viewers').getByText('Sam Rivera is viewing').waitFor();
    await sam.p.getByTestId('viewers').getByText('Dana Demo is viewing').waitFor();
    expect(await page.getByTestId('viewers').getByText('Dana Demo').count()).toBe(0);

    // `@` in a note opens the teammate picker; the note carries the mention and highlights it.
    await page.getByRole('tab', { name: 'Internal note' }).click();
    const note = page.getByRole('textbox', { name: 'Internal note' });
    await note.click();
    await page.keyboard.type('Billing can reissue this, @Sa');
    const picker = page.getByTestId('mention-picker');
    await picker.getByRole('option', { name: /Sam Rivera/ }).waitFor();
    // Sam sees Dana writing a note (the customer never does: notes signal teammates only).
    await sam.p.getByTestId('viewers').getByText('Dana Demo is writing a note…').waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => note.inputValue()).toBe('Billing can reissue this, @Sam Rivera ');
    await page.keyboard.type('can you check?');
    const posted = page.waitForRequest((r) => r.url().endsWith(`/conversations/${id}/messages`) && r.method() === 'POST');
    await page.getByRole('button', { name: 'Add note' }).click();
    const body = (await posted).postDataJSON() as { kind: string; mentions?: string[] };
    const samId = (await api<{ data: { id: string; email: string }[] }>('GET', '/users?limit=100')).data.find(
      (u) => u.email === 'sam@touchpoint.dev',
    )!.id;
    expect(body).toMatchObject({ kind: 'note', mentions: [samId] });
    await thread().locator('.message.note:not(.pending) mark.mention', { hasText: '@Sam Rivera' }).waitFor();
    await settle(); // the notifications listener

    // (Sam going online may also have drained the queue to them: assignments are notifications too.)
    const bellNow = await samApi<Bell>('GET', '/notifications');
    expect(bellNow.unreadCount).toBeGreaterThan(unreadBefore);
    expect(bellNow.data.filter((n) => n.kind === 'mention' && n.conversationId === id)).toEqual([
      expect.objectContaining({ preview: expect.stringContaining('Billing can reissue') }),
    ]);
    if (layoutHasBell) {
      const bell = sam.p.getByTestId('notifications-bell');
      await expect.poll(() => bell.getAttribute('aria-label')).toBe(`Notifications, ${bellNow.unreadCount} unread`);
      await bell.click();
      const item = sam.p.getByTestId('notification').filter({ hasText: 'Dana Demo mentioned you' });
      await item.getByText('Billing can reissue this').waitFor();
      await item.click();
      await sam.p.waitForURL(`**/inbox/${id}`);
      const left = bellNow.unreadCount - 1;
      await expect.poll(() => bell.getAttribute('aria-label')).toBe(left ? `Notifications, ${left} unread` : 'Notifications');
    } else {
      console.warn('e2e/conversation.test.ts: the notifications bell is not in components/layout.tsx yet; checked the API only.');
    }

    // Closing the conversation tells the others at once.
    await sam.p.goto(`${baseUrl}/inbox`);
    await page.getByTestId('viewers').waitFor({ state: 'detached' });
    await sam.ctx.close();
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('assigning, changing the priority and snoozing to a chosen time appear as activity in the thread', async () => {
    const { data } = await api<{ data: { conversation: { id: string } } }>('POST', '/conversations', {
      customer: { name: 'Tomás Ortega', email: 'tomas@brightlane.co' },
      subject: 'SSO login loops back to the sign-in page',
      message: { kind: 'incoming', body: 'None of our team can log in with Okta since this morning.' },
    });
    const id = data.conversation.id;
    await settle();
    await page.goto(`${baseUrl}/inbox/${id}`);
    await thread().getByText('None of our team can log in').waitFor();

    // (Leo never signs in, so routing cannot have given it to him already.)
    await page.getByRole('combobox', { name: 'Assignee' }).selectOption({ label: 'Leo Martin' });
    await thread().locator('[data-type="conversation.assigned"]', { hasText: 'You assigned this to Leo Martin' }).waitFor();
    await page.getByRole('combobox', { name: 'Team' }).selectOption({ label: 'Support' });
    await thread().locator('[data-type="conversation.assigned"]', { hasText: 'You moved this to team Support' }).waitFor();
    await page.getByRole('combobox', { name: 'Priority' }).selectOption('urgent');
    await thread().locator('[data-type="conversation.priority_changed"]', { hasText: 'from Normal to Urgent' }).waitFor();

    // Snooze to a chosen time: the dialog opens on its field and refuses a time in the past.
    await page.getByRole('button', { name: 'Snooze' }).click();
    await page.getByRole('menuitem', { name: 'Pick a date and time…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Snooze until…' });
    const when = dialog.getByLabel('Date and time');
    await expect.poll(() => when.evaluate((el) => el === document.activeElement)).toBe(true);
    await when.fill('2020-01-01T09:00');
    await dialog.getByRole('button', { name: 'Snooze' }).click();
    await dialog.getByRole('alert').getByText('Pick a time in the future').waitFor();
    const next = new Date(Date.now() + 2 * 86_400_000);
    const day = next.toISOString().slice(0, 10);
    await when.fill(`${day}T10:30`);
    await dialog.getByRole('button', { name: 'Snooze' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.conversation-header .badge', { hasText: 'Snoozed' }).waitFor();
    await expect.poll(async () => (await conversation(id)).snoozedUntil).toBe(`${day}T10:30:00.000Z`);
    await thread().locator('[data-type="conversation.snoozed"]', { hasText: 'You snoozed this until' }).waitFor();
    await settle(); // the SLA clock pauses while snoozed
    await page.getByTestId('sla-header').getByText('SLA paused').waitFor();

    // Entries sit between the messages by time, in order.
    const types = await thread()
      .getByTestId('activity')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
    // (Routing may have decided first: the demo agent is online when the conversation arrives.)
    expect(types.filter((x) => x !== 'routing.decision')).toEqual([
      'conversation.assigned',
      'conversation.assigned',
      'conversation.priority_changed',
      'conversation.snoozed',
    ]);
    expect(await conversation(id)).toMatchObject({ status: 'snoozed', priority: 'urgent' });
    await screenshot(page, 'conversation');
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('shows SLA countdowns once a policy applies, and a reply can go out on another of the customer’s channels', async () => {
    // A policy for urgent conversations, first in the matching order.
    const { data: policy } = await api<{ data: { id: string } }>('POST', '/sla-policies', {
      name: 'Urgent 30 min',
      conditions: { priorities: ['urgent'] },
      firstResponseSeconds: 1800,
      resolutionSeconds: 4 * 3600,
    });
    const { data: policies } = await api<{ data: { id: string }[] }>('GET', '/sla-policies');
    await api('PUT', '/sla-policies/order', { ids: [policy.id, ...policies.map((p) => p.id).filter((x) => x !== policy.id)] });
    const { data } = await api<{ data: { conversation: { id: string; channelId: string } } }>('POST', '/conversations', {
      customer: { name: 'Kwame Mensah', email: 'kwame@accra-coffee.com' },
      subject: 'Order #4821 arrived damaged',
      priority: 'urgent',
      message: { kind: 'incoming', body: 'Two of the six mugs in my order arrived broken.' },
    });
    const id = data.conversation.id;
    const { data: mail } = await api<{ data: { id: string } }>('POST', '/channels', {
      kind: 'email',
      name: 'Support mail',
      config: { address: 'support@northwind.test' },
    });
    await settle(); // the SLA clock starts
    const sla = (await api<{ data: { policyName: string; firstResponse: { status: string } } }>('GET', `/conversations/${id}/sla`)).data;
    expect(sla).toMatchObject({ policyName: 'Urgent 30 min', firstResponse: { status: 'pending' } });

    await page.goto(`${baseUrl}/inbox/${id}`);
    await thread().getByText('Two of the six mugs').waitFor();
    const badge = page.getByTestId('sla-header');
    await badge.getByText(/First response/).waitFor();
    const section = page.getByTestId('sla-section');
    await section.getByText('Policy Urgent 30 min').waitFor();
    await section.getByText('First response').waitFor();
    await section.getByText('Resolution').waitFor();

    // Replying meets the first response: the countdown follows (realtime, then the SLA clock's listener).
    // The customer has an email address and the account an email channel: the reply can go out by email instead.
    const reply = page.getByRole('textbox', { name: 'Reply' });
    const channel = page.getByTestId('reply-channel');
    await channel.locator('option', { hasText: 'Email · kwame@accra-coffee.com' }).waitFor({ state: 'attached' });
    expect(await channel.locator('option').allTextContents()).toEqual(['API (current)', 'Email · kwame@accra-coffee.com']);
    await channel.selectOption({ label: 'Email · kwame@accra-coffee.com' });
    await reply.fill('So sorry, Kwame — a replacement is on its way today.');
    await page.keyboard.press('Control+Enter');
    await thread().locator('.message.outgoing:not(.pending)', { hasText: 'a replacement is on its way' }).waitFor();
    await expect.poll(async () => (await conversation(id)).channelId).toBe(mail.id);
    // Two channels in the thread now: each message says which. The conversation is on email now, and the API channel
    // (which delivers no replies) is no other choice: the picker goes away.
    await thread().locator('.message.incoming .channel-badge', { hasText: 'API' }).waitFor();
    await thread().locator('.message.outgoing .channel-badge', { hasText: 'Email' }).waitFor();
    await channel.waitFor({ state: 'detached' });
    await settle();
    await section.locator('.sla-timer', { hasText: 'met' }).waitFor();

    // On a phone: the details are a screen of their own, and nothing is wider than the screen.
    const phone = await newAgentPage((await context.cookies(baseUrl)).find((c) => c.name === 'tp_session')!.value, {
      width: 390,
      height: 844,
    });
    await phone.p.goto(`${baseUrl}/inbox/${id}`);
    await thread(phone.p).getByText('Two of the six mugs').waitFor();
    expect(await phone.p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.p.getByRole('textbox', { name: 'Reply' }).click();
    await phone.p.keyboard.type('/');
    await phone.p.getByTestId('macro-picker').getByRole('option').first().waitFor();
    expect(await phone.p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const box = await phone.p.getByTestId('macro-picker').boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await phone.p.keyboard.press('Escape');
    await phone.p.getByRole('textbox', { name: 'Reply' }).fill('');
    await screenshot(phone.p, 'conversation-phone');
    await phone.p.getByRole('button', { name: 'Details' }).click();
    await phone.p.getByTestId('sla-section').waitFor();
    expect(await phone.p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.ctx.close();
    expect(meId).toBeTruthy();
    expect(pageErrors).toEqual([]);
  }, 120_000);
  it('merging a possible duplicate asks first, then waits 8 s with an Undo before anything is sent', async () => {
    // A chat visitor typed the email of a customer we already know: a merge suggestion.
    const email = 'ada.lovelace@example.com';
    const known = (await api<{ data: { id: string } }>('POST', '/customers', { name: 'Ada Lovelace', email })).data;
    const visitor = (await api<{ data: { id: string } }>('POST', '/customers', { name: 'Ada L.' })).data;
    const { data } = await api<{ data: { conversation: { id: string; accountId?: string } } }>('POST', '/conversations', {
      customerId: visitor.id,
      message: { kind: 'incoming', body: 'Is my analytical engine order confirmed?' },
    });
    const me = (await api<{ data: { account: { id: string } } }>('GET', '/me')).data;
    const ctx = systemCtx({ db: t.database.db, events: t.events }, me.account.id, 'e2e');
    await command(ctx, (tx) => recordClaimedIdentity(tx, ctx, visitor.id, { kind: 'email', value: email, source: 'webchat.prechat' }));
    const merges: string[] = [];
    page.on('request', (r) => r.url().includes('/merge-suggestions/') && r.url().endsWith('/merge') && merges.push(r.url()));

    await page.goto(`${baseUrl}/inbox/${data.conversation.id}`);
    await page.getByRole('button', { name: 'Possible duplicate' }).click();
    const merge = page.getByRole('button', { name: 'Merge, keep Ada Lovelace' });
    await merge.click();
    const dialog = page.getByRole('dialog', { name: 'Merge these profiles?' });
    await dialog.getByText('You can undo for 8 seconds').waitFor();
    await dialog.getByRole('button', { name: 'Merge into Ada Lovelace' }).click();
    // Nothing is sent yet: the toast (and the suggestion) offer Undo.
    const toast = page.locator('.toast', { hasText: 'Merging into Ada Lovelace…' });
    await toast.getByRole('button', { name: 'Undo' }).click();
    await page.locator('.toast', { hasText: 'Merge cancelled' }).waitFor();
    await merge.waitFor();
    await page.waitForTimeout(8_500);
    expect(merges).toEqual([]);

    // Confirmed and left alone, it is sent once the 8 s are over.
    await merge.click();
    await dialog.getByRole('button', { name: 'Merge into Ada Lovelace' }).click();
    await page.locator('.toast', { hasText: 'Merging into Ada Lovelace…' }).waitFor();
    expect(merges).toEqual([]);
    await page.locator('.toast', { hasText: 'Merged into Ada Lovelace' }).waitFor({ timeout: 15_000 });
    expect(merges).toHaveLength(1);
    const after = (await api<{ data: { id: string; mergedIntoId: string | null } }>('GET', `/customers/${visitor.id}`)).data;
    expect(after.mergedIntoId).toBe(known.id);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
