import { eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { describe, expect, it } from 'vitest';
import { channels } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import { createAccount, createApiKeyHeaders, createUser, type TestAccount } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { signedHeaders } from './index';

const PUBLIC_URL = 'https://support.example.com';
const t = useTestApp({ config: { PUBLIC_URL } });

type Headers = Record<string, string>;

const inject = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Headers, payload?: object) =>
  t().app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });

async function create(acc: TestAccount, body: object) {
  const res = await inject('POST', '/channels', acc.owner.headers, body);
  if (res.statusCode !== 201) throw new Error(`create: ${res.statusCode} ${res.body}`);
  return res.json().data as { id: string; webhookSecret: string; [k: string]: unknown };
}

const rowOf = async (id: string) => (await withSystem(t().database.db, (tx) => tx.select().from(channels).where(eq(channels.id, id))))[0]!;

const listIds = async (headers: Headers) =>
  ((await inject('GET', '/channels?limit=100', headers)).json().data as { id: string }[]).map((c) => c.id);

/** A signed messaging event from a provider. */
function postSms(channelId: string, secret: string, id = `evt_${uuidv7()}`) {
  const body = JSON.stringify({ type: 'message', id, from: { phone: '+14155550100' }, text: 'Hello' });
  return t().app.inject({
    method: 'POST',
    url: `/api/v1/channels/${channelId}/messaging/events`,
    headers: signedHeaders(secret, body),
    payload: body,
  });
}

const widget = (method: 'GET' | 'POST', channelId: string, path: string) =>
  t().app.inject({ method, url: `/api/v1/widget/${channelId}${path}` });

describe('GET /channels/:id', () => {
  it('shows a web channel with the snippet to embed, for PUBLIC_URL, and never its secret', async () => {
    const acc = await createAccount(t());
    const web = await create(acc, { kind: 'web', name: 'Store chat', config: { greeting: 'Hi!' } });
    const res = await inject('GET', `/channels/${web.id}`, acc.owner.headers);
    expect(res.statusCode).toBe(200);
    const { data, policies } = res.json();
    expect(data).toMatchObject({ id: web.id, kind: 'web', name: 'Store chat', enabled: true, active: true, archivedAt: null });
    expect(data.setup).toEqual({
      baseUrl: PUBLIC_URL,
      publicUrlConfigured: true,
      web: {
        snippet: `<script src="${PUBLIC_URL}/widget.js" data-channel="${web.id}" async></script>`,
        widgetUrl: `${PUBLIC_URL}/widget.js`,
        previewUrl: `${PUBLIC_URL}/widget/frame.html?channel=${web.id}`,
      },
    });
    expect(policies).toEqual([{ id: web.id, abilities: { read: true, manage: true } }]);
    expect(res.body).not.toContain(web.webhookSecret);
    expect(data).not.toHaveProperty('webhookSecret');
  });

  it('gives messaging and voice channels the webhook URL to configure, email channels their intake, api channels the API', async () => {
    const acc = await createAccount(t());
    const sms = await create(acc, { kind: 'sms', name: 'SMS', config: { outboundUrl: 'https://93.184.215.14/outbound' } });
    const voice = await create(acc, { kind: 'voice', name: 'Phone' });
    const email = await create(acc, { kind: 'email', name: 'Support', config: { address: 'help@example.test', fromName: 'Help' } });
    const get = async (id: string) => (await inject('GET', `/channels/${id}`, acc.owner.headers)).json().data.setup;
    expect((await get(sms.id)).webhook).toEqual({
      url: `${PUBLIC_URL}/api/v1/channels/${sms.id}/messaging/events`,
      signatureHeader: 'x-touchpoint-signature',
      timestampHeader: 'x-touchpoint-timestamp',
      toleranceSeconds: 300,
      outboundUrl: 'https://93.184.215.14/outbound',
    });
    expect((await get(voice.id)).webhook).toMatchObject({
      url: `${PUBLIC_URL}/api/v1/channels/${voice.id}/voice/events`,
      outboundUrl: null,
    });
    expect((await get(email.id)).email).toEqual({
      inboundAddress: 'help@example.test',
      smtpIntake: { enabled: false, host: 'support.example.com', port: null, starttls: false },
      imap: { configured: false, host: null, user: null, mailbox: null },
      outbound: { relayConfigured: false, fromName: 'Help' },
    });
    expect(await get(acc.apiChannelId)).toEqual({
      baseUrl: PUBLIC_URL,
      publicUrlConfigured: true,
      api: { conversationsUrl: `${PUBLIC_URL}/api/v1/conversations`, outboundUrl: null },
    });
  });

  it('lets agents read it (no abilities to manage), refuses analysts and strangers, and hides other tenants and archived channels', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const analyst = await createUser(t(), acc.accountId, 'analyst');
    const asAgent = await inject('GET', `/channels/${acc.apiChannelId}`, agent.headers);
    expect(asAgent.statusCode).toBe(200);
    expect(asAgent.json().policies[0].abilities).toEqual({ read: true, manage: false });
    expect((await inject('GET', `/channels/${acc.apiChannelId}`, {})).statusCode).toBe(401);
    expect((await inject('GET', `/channels/${acc.apiChannelId}`, analyst.headers)).statusCode).toBe(403);
    expect((await inject('GET', `/channels/${other.apiChannelId}`, acc.owner.headers)).statusCode).toBe(404);
    expect((await inject('GET', '/channels/not-a-uuid', acc.owner.headers)).statusCode).toBe(422);
    const web = await create(acc, { kind: 'web', name: 'Old chat' });
    expect((await inject('DELETE', `/channels/${web.id}`, acc.owner.headers)).statusCode).toBe(204);
    expect((await inject('GET', `/channels/${web.id}`, acc.owner.headers)).statusCode).toBe(404);
  });
});

describe('GET /channels', () => {
  it('never lists secrets, not even to owners', async () => {
    const acc = await createAccount(t());
    const sms = await create(acc, { kind: 'sms', name: 'SMS' });
    const res = await inject('GET', '/channels', acc.owner.headers);
    expect(res.body).not.toContain(sms.webhookSecret);
    expect(res.json().data.every((c: object) => !('webhookSecret' in c))).toBe(true);
  });
});

describe('PATCH /channels/:id', () => {
  it('renames a channel and merges its config (null removes a key, objects merge)', async () => {
    const acc = await createAccount(t());
    const web = await create(acc, {
      kind: 'web',
      name: 'Chat',
      config: { greeting: 'Hi!', prechat: { enabled: true, fields: { name: 'optional', email: 'required' } } },
    });
    const res = await inject('PATCH', `/channels/${web.id}`, acc.owner.headers, {
      name: 'Store chat',
      config: { greeting: null, prechat: { intro: 'Who are you?' } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({
      name: 'Store chat',
      config: { prechat: { enabled: true, intro: 'Who are you?', fields: { name: 'optional', email: 'required' } } },
    });
    expect(res.json().data.config).not.toHaveProperty('greeting');
    expect(res.json().data).not.toHaveProperty('webhookSecret');
    expect((await rowOf(web.id)).name).toBe('Store chat');
  });

  it('changes an IMAP password alone, keeping the rest of the mailbox, and never shows it', async () => {
    const acc = await createAccount(t());
    const imap = { host: '93.184.215.14', user: 'help@example.test', password: 'old-secret-1' };
    const email = await create(acc, { kind: 'email', name: 'Help', config: { address: 'help@example.test', imap } });
    const res = await inject('PATCH', `/channels/${email.id}`, acc.owner.headers, {
      config: { imap: { password: 'new-secret-2', hasPassword: true } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('new-secret-2');
    expect(res.json().data.config.imap).toEqual({ host: '93.184.215.14', user: 'help@example.test', hasPassword: true });
    expect((await rowOf(email.id)).config).toEqual({ address: 'help@example.test', imap: { ...imap, password: 'new-secret-2' } });
  });

  it('disables a web channel: the widget is refused with channel_disabled, and enabling it restores it', async () => {
    const acc = await createAccount(t());
    const web = await create(acc, { kind: 'web', name: 'Chat' });
    const off = await inject('PATCH', `/channels/${web.id}`, acc.owner.headers, { enabled: false });
    expect(off.statusCode).toBe(200);
    expect(off.json().data).toMatchObject({ enabled: false, active: false, archivedAt: null });
    for (const res of [await widget('GET', web.id, '/config'), await widget('POST', web.id, '/sessions')]) {
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'channel_disabled', detail: expect.stringContaining('disabled') });
    }
    expect(await listIds(acc.owner.headers)).toContain(web.id); // still listed, to be enabled again
    expect((await inject('PATCH', `/channels/${web.id}`, acc.owner.headers, { enabled: true })).json().data.enabled).toBe(true);
    expect((await widget('GET', web.id, '/config')).statusCode).toBe(200);
    expect((await widget('POST', web.id, '/sessions')).statusCode).toBe(201);
  });

  it('disables a messaging channel: signed provider events get 403 channel_disabled and store nothing', async () => {
    const acc = await createAccount(t());
    const sms = await create(acc, { kind: 'sms', name: 'SMS' });
    expect((await postSms(sms.id, sms.webhookSecret)).statusCode).toBe(200);
    await inject('PATCH', `/channels/${sms.id}`, acc.owner.headers, { enabled: false });
    const refused = await postSms(sms.id, sms.webhookSecret);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('channel_disabled');
    const { rows } = await t().database.pool.query('select count(*)::int as n from messages where account_id = $1', [acc.accountId]);
    expect(rows[0].n).toBe(1);
    await inject('PATCH', `/channels/${sms.id}`, acc.owner.headers, { enabled: true });
    expect((await postSms(sms.id, sms.webhookSecret)).statusCode).toBe(200);
  });

  it.each([
    ['an empty body', {}],
    ['an unknown field', { kind: 'email' }],
    ['an empty name', { name: ' ' }],
    ['enabled that is not a boolean', { enabled: 'no' }],
    ['a config that fails the kind’s checks once merged', { config: { prechat: { fields: { email: 'sometimes' } } } }],
    ['a private outboundUrl', { config: { outboundUrl: 'https://127.0.0.1/hook' } }],
  ])('rejects %s with 422, changing nothing', async (_label, body) => {
    const acc = await createAccount(t());
    const web = await create(acc, { kind: 'web', name: 'Chat' });
    const before = await rowOf(web.id);
    const res = await inject('PATCH', `/channels/${web.id}`, acc.owner.headers, body);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('validation_failed');
    expect(await rowOf(web.id)).toEqual(before);
  });

  it('names the failing config field, and refuses a private IMAP host', async () => {
    const acc = await createAccount(t());
    const email = await create(acc, { kind: 'email', name: 'Help', config: { address: 'help@example.test' } });
    const bad = await inject('PATCH', `/channels/${email.id}`, acc.owner.headers, { config: { address: 'not an address' } });
    expect(bad.json().errors).toEqual([{ path: 'body.config.address', message: expect.any(String) }]);
    const imap = await inject('PATCH', `/channels/${email.id}`, acc.owner.headers, {
      config: { imap: { host: '10.0.0.5', user: 'u', password: 'p' } },
    });
    expect(imap.statusCode).toBe(422);
    expect(imap.json().errors[0].path).toBe('body.config.imap.host');
    expect((await rowOf(email.id)).config).toEqual({ address: 'help@example.test' });
  });

  it('answers 401, 403 below admin (also for API keys), 404 for another tenant’s channel, changing nothing', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const supervisor = await createUser(t(), acc.accountId, 'supervisor');
    const before = await rowOf(acc.apiChannelId);
    expect((await inject('PATCH', `/channels/${acc.apiChannelId}`, {}, { name: 'x' })).statusCode).toBe(401);
    expect((await inject('PATCH', `/channels/${acc.apiChannelId}`, supervisor.headers, { name: 'x' })).statusCode).toBe(403);
    const key = await createApiKeyHeaders(t(), acc.accountId, 'supervisor');
    expect((await inject('PATCH', `/channels/${acc.apiChannelId}`, key, { name: 'x' })).statusCode).toBe(403);
    expect((await inject('PATCH', `/channels/${other.apiChannelId}`, acc.owner.headers, { name: 'x' })).statusCode).toBe(404);
    expect(await rowOf(acc.apiChannelId)).toEqual(before);
    expect((await rowOf(other.apiChannelId)).name).toBe('API');
  });

  it('keeps the last enabled API channel enabled (409), and lets it go once there is another', async () => {
    const acc = await createAccount(t());
    const last = await inject('PATCH', `/channels/${acc.apiChannelId}`, acc.owner.headers, { enabled: false });
    expect(last.statusCode).toBe(409);
    expect(last.json()).toMatchObject({ code: 'conflict', field: 'enabled' });
    expect((await rowOf(acc.apiChannelId)).active).toBe(true);
    await create(acc, { kind: 'api', name: 'Shop backend' });
    expect((await inject('PATCH', `/channels/${acc.apiChannelId}`, acc.owner.headers, { enabled: false })).statusCode).toBe(200);
  });
});

describe('DELETE /channels/:id', () => {
  it('archives: gone from lists and intake, its conversations stay readable; again is a no-op', async () => {
    const acc = await createAccount(t());
    const sms = await create(acc, { kind: 'sms', name: 'SMS' });
    const { conversationId } = (await postSms(sms.id, sms.webhookSecret)).json().data;
    expect((await inject('DELETE', `/channels/${sms.id}`, acc.owner.headers)).statusCode).toBe(204);
    const row = await rowOf(sms.id);
    expect(row.active).toBe(false);
    expect(row.archivedAt).toBeInstanceOf(Date);
    expect(await listIds(acc.owner.headers)).not.toContain(sms.id);
    expect((await postSms(sms.id, sms.webhookSecret)).statusCode).toBe(404);
    const conv = await inject('GET', `/conversations/${conversationId}/messages`, acc.owner.headers);
    expect(conv.statusCode).toBe(200);
    expect(conv.json().data).toHaveLength(1);
    expect((await inject('DELETE', `/channels/${sms.id}`, acc.owner.headers)).statusCode).toBe(204);
    expect((await rowOf(sms.id)).archivedAt).toEqual(row.archivedAt);
    expect((await inject('PATCH', `/channels/${sms.id}`, acc.owner.headers, { enabled: true })).statusCode).toBe(404);
  });

  it('archives a web channel: the widget gets 404', async () => {
    const acc = await createAccount(t());
    const web = await create(acc, { kind: 'web', name: 'Chat' });
    await inject('DELETE', `/channels/${web.id}`, acc.owner.headers);
    expect((await widget('GET', web.id, '/config')).statusCode).toBe(404);
  });

  it('answers 401, 403 below admin, 404 for another tenant’s channel, and 409 for the last API channel, changing nothing', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const web = await create(acc, { kind: 'web', name: 'Chat' });
    expect((await inject('DELETE', `/channels/${web.id}`, {})).statusCode).toBe(401);
    expect((await inject('DELETE', `/channels/${web.id}`, agent.headers)).statusCode).toBe(403);
    expect((await inject('DELETE', `/channels/${other.apiChannelId}`, acc.owner.headers)).statusCode).toBe(404);
    expect((await inject('DELETE', `/channels/${acc.apiChannelId}`, acc.owner.headers)).statusCode).toBe(409);
    for (const id of [web.id, other.apiChannelId, acc.apiChannelId]) expect((await rowOf(id)).archivedAt).toBeNull();
  });
});

describe('POST /channels/:id/secret', () => {
  it('answers a new secret once; the old one stops verifying at once, the new one works', async () => {
    const acc = await createAccount(t());
    const sms = await create(acc, { kind: 'sms', name: 'SMS' });
    const res = await inject('POST', `/channels/${sms.id}/secret`, acc.owner.headers);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const secret = res.json().data.webhookSecret as string;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(secret).not.toBe(sms.webhookSecret);
    expect((await postSms(sms.id, sms.webhookSecret)).statusCode).toBe(401);
    expect((await postSms(sms.id, secret)).statusCode).toBe(200);
    expect((await inject('GET', `/channels/${sms.id}`, acc.owner.headers)).body).not.toContain(secret);
    expect((await inject('GET', '/channels', acc.owner.headers)).body).not.toContain(secret);
  });

  it('answers 401, 403 below admin, 404 for another tenant’s or an archived channel, keeping the secret', async () => {
    const acc = await createAccount(t());
    const other = await createAccount(t());
    const supervisor = await createUser(t(), acc.accountId, 'supervisor');
    const sms = await create(acc, { kind: 'sms', name: 'SMS' });
    const gone = await create(acc, { kind: 'voice', name: 'Phone' });
    await inject('DELETE', `/channels/${gone.id}`, acc.owner.headers);
    const theirs = (await rowOf(other.apiChannelId)).webhookSecret;
    expect((await inject('POST', `/channels/${sms.id}/secret`, {})).statusCode).toBe(401);
    expect((await inject('POST', `/channels/${sms.id}/secret`, supervisor.headers)).statusCode).toBe(403);
    expect((await inject('POST', `/channels/${other.apiChannelId}/secret`, acc.owner.headers)).statusCode).toBe(404);
    expect((await inject('POST', `/channels/${gone.id}/secret`, acc.owner.headers)).statusCode).toBe(404);
    expect((await rowOf(sms.id)).webhookSecret).toBe(sms.webhookSecret);
    expect((await rowOf(gone.id)).webhookSecret).toBe(gone.webhookSecret);
    expect((await rowOf(other.apiChannelId)).webhookSecret).toBe(theirs);
  });
});
