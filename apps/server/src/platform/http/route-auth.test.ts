import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { createAccount, createUser } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { routeTable } from './auth';

const t = useTestApp();

/**
 * Every route that admits callers other than agents, and how. A new public, visitor, signed or socket route must be
 * added here: opting out of agent authentication is a decision a reviewer sees.
 */
const OPT_OUTS: Record<string, string> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /api/v1/openapi.json': 'public',
  'POST /api/v1/auth/signup': 'public',
  'GET /api/v1/auth/options': 'public',
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/invitations/accept': 'public',
  'GET /api/v1/realtime': 'socket',
  'POST /api/v1/channels/:channelId/messaging/events': 'signed',
  'POST /api/v1/channels/:channelId/voice/events': 'signed',
  'GET /api/v1/channels/:channelId/attachments/:id': 'signed',
  'POST /api/v1/widget/:channelId/sessions': 'visitor',
  'GET /api/v1/widget/:channelId/messages': 'visitor',
  'POST /api/v1/widget/:channelId/messages': 'visitor',
  'POST /api/v1/widget/:channelId/identify': 'visitor',
  'GET /api/v1/widget/:channelId/ws': 'visitor',
  'GET /api/v1/widget/:channelId/config': 'visitor',
  'POST /api/v1/widget/:channelId/prechat': 'visitor',
  'POST /api/v1/widget/:channelId/offline-messages': 'visitor',
  'POST /api/v1/widget/:channelId/read': 'visitor',
  'POST /api/v1/widget/:channelId/attachments': 'visitor',
  'GET /api/v1/widget/:channelId/attachments/:id': 'visitor',
  'GET /widget.js': 'public',
  'GET /widget/frame.js': 'public',
  'GET /widget/frame.html': 'public',
  'GET /demo': 'public',
};

/** Swagger UI's pages and files and the web app's built files (when built), declared public as scopes in app.ts. */
const PUBLIC_SCOPES = [/^GET \/api\/docs(\/|$)/, /^GET \/(?!api\/|widget|demo$|healthz$|readyz$)/];
const expectedAuth = (key: string) => (PUBLIC_SCOPES.some((re) => re.test(key)) ? 'public' : OPT_OUTS[key]);

function routes() {
  const out: { key: string; method: string; url: string; auth: string | undefined }[] = [];
  for (const r of routeTable(t().app)) {
    for (const method of [r.method].flat()) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      out.push({ key: `${method} ${r.url}`, method, url: r.url, auth: r.config?.auth });
    }
  }
  return out;
}

/** A request that fails validation on any route: made-up ids, a query and a body no schema accepts. */
function invalidRequest(method: string, url: string) {
  const path = url.replace(/:[A-Za-z]+/g, () => uuidv7()).replace(/\*$/, 'x');
  const hasBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
  return {
    method: method as 'GET',
    url: `${path}?limit=not-a-number&cursor=${'x'.repeat(600)}`,
    ...(hasBody ? { payload: { unexpected: ['field'], name: 42 } } : {}),
  };
}

describe('authentication is declared per route, deny by default', () => {
  it('every route is for agents unless it declares who else it admits, and each opt-out is one we meant', () => {
    const all = routes();
    expect(all.length).toBeGreaterThan(100);
    const optedOut = Object.fromEntries(all.filter((r) => r.auth !== undefined).map((r) => [r.key, r.auth]));
    for (const [key, auth] of Object.entries(optedOut)) expect({ key, auth }).toEqual({ key, auth: expectedAuth(key) });
  });

  it('every agent route answers an anonymous caller, or a made-up API key, 401 before it validates anything', async () => {
    const agentRoutes = routes().filter((r) => r.auth === undefined);
    expect(agentRoutes.length).toBeGreaterThan(80);
    const answers: string[] = [];
    for (const r of agentRoutes) {
      const anonymous = await t().app.inject(invalidRequest(r.method, r.url));
      const madeUp = await t().app.inject({
        ...invalidRequest(r.method, r.url),
        headers: { authorization: `Bearer tp_${randomBytes(6).toString('hex')}_${randomBytes(24).toString('hex')}` },
      });
      answers.push(`${r.key} ${anonymous.statusCode} ${anonymous.json().code} ${madeUp.statusCode} ${madeUp.json().code}`);
    }
    expect(answers).toEqual(agentRoutes.map((r) => `${r.key} 401 unauthenticated 401 unauthenticated`));
  });

  it('a role below the one a route declares is 403 before validation; a role that may is then told what is invalid', async () => {
    const acc = await createAccount(t());
    const agent = await createUser(t(), acc.accountId, 'agent');
    const post = (url: string, headers: Record<string, string>) =>
      t().app.inject({ method: 'POST', url: `/api/v1${url}`, headers, payload: { name: 42, unexpected: true } });
    for (const url of ['/teams', '/channels', '/api-keys']) {
      const denied = await post(url, agent.headers);
      expect(denied.statusCode).toBe(403);
      expect(denied.json().code).toBe('forbidden');
      expect((await post(url, acc.owner.headers)).statusCode).toBe(422);
    }
  });

  it('the routes declared public answer without credentials', async () => {
    for (const url of ['/healthz', '/api/v1/openapi.json', '/api/docs/json', '/widget.js'])
      expect((await t().app.inject({ url })).statusCode, url).toBe(200);
  });

  it('the realtime socket stays open to a handshake without credentials, so the handler can close it with 4401', async () => {
    const res = await t().app.inject({ method: 'GET', url: '/api/v1/realtime' });
    expect(res.statusCode).not.toBe(401);
  });
});
