import type { Role } from '@touchpoint/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Database } from '../../db/client';
import { isAtLeast } from '../authz';
import type { Actor, Ctx } from '../context';
import { AppError, forbidden } from '../errors';
import type { EventBus } from '../events';
import { SESSION_COOKIE } from './tokens';

/** Resolves credentials to an actor; implemented by the accounts module, consumed here. */
export interface Authenticator {
  fromSession(token: string): Promise<Actor | null>;
  fromApiKey(token: string): Promise<Actor | null>;
}

/**
 * How a route that needs no agent credentials authenticates its callers instead. A route without one is for
 * agents (session or API key) and answers 401 before its input is parsed or validated.
 * - `public`: nobody to authenticate (log in, sign up, accept an invitation, health, documentation, static files);
 * - `visitor`: web chat visitors, whose token the webchat module verifies (never an agent's session or key);
 * - `signed`: providers and their file fetches, whose HMAC signature the module verifies against the channel secret;
 * - `socket`: agents over a WebSocket, checked by the handler, which closes a refused socket with 4401
 *   (a browser cannot read the status of a refused handshake, so it would retry forever).
 */
export type RouteAuth = 'public' | 'visitor' | 'signed' | 'socket';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route when not agents only (deny by default): see RouteAuth. */
    auth?: RouteAuth;
    /** The least role an agent route needs: below it is 403, before the input is looked at. */
    minRole?: Role;
  }
  interface FastifyRequest {
    actor: Actor | null;
    sessionToken: string | null;
    /** Why the credentials sent were refused (a revoked API key), answered if the route needs them. */
    authFailure: AppError | null;
  }
}

const needsAgent = (req: FastifyRequest) => {
  const auth = req.routeOptions.config?.auth;
  return auth === undefined || auth === 'socket';
};

export function credentialsOf(req: FastifyRequest): { kind: 'session' | 'api_key'; token: string } | null {
  if (!needsAgent(req)) return null;
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    return m ? { kind: 'api_key', token: m[1]! } : null;
  }
  // Browsers cannot set headers on a WebSocket handshake, so the realtime endpoint also takes ?access_token=.
  const query = req.query as { access_token?: unknown } | undefined;
  if (req.url.startsWith('/api/v1/realtime') && typeof query?.access_token === 'string') {
    return { kind: 'api_key', token: query.access_token };
  }
  const cookie = req.cookies?.[SESSION_COOKIE];
  return cookie ? { kind: 'session', token: cookie } : null;
}

export async function resolveActor(auth: Authenticator, req: FastifyRequest): Promise<Actor | null> {
  const cred = credentialsOf(req);
  if (!cred) return null;
  if (cred.kind === 'api_key') {
    const actor = await auth.fromApiKey(cred.token);
    if (!actor) throw new AppError('unauthenticated', 'The API key is invalid, expired or revoked');
    return actor;
  }
  req.sessionToken = cred.token;
  return auth.fromSession(cred.token);
}

const routeTables = new WeakMap<object, RouteOptions[]>();

/**
 * Authentication declared per route, deny by default. Credentials are resolved first (an app-level onRequest
 * hook, so the rate limiter can key on who was verified), then each route's own onRequest hook, added after the
 * rate limiter's, refuses a caller the route does not admit: 401 or 403 before the body is parsed or validated.
 * Call after registering the rate limiter and before any route.
 */
export function registerRouteAuth(app: FastifyInstance, authenticator: Authenticator): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('authFailure', null);
  app.addHook('onRequest', async (req) => {
    if (req.is404) return;
    try {
      req.actor = await resolveActor(authenticator, req);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      req.authFailure = err;
    }
  });
  const table: RouteOptions[] = [];
  routeTables.set(app, table);
  app.addHook('onRoute', (route) => {
    table.push(route);
    const hooks = route.onRequest ? [route.onRequest].flat() : [];
    route.onRequest = [...hooks, admit];
  });
}

async function admit(req: FastifyRequest): Promise<void> {
  const { auth, minRole } = req.routeOptions.config;
  if (auth !== undefined) return;
  if (!req.actor) throw req.authFailure ?? unauthenticated();
  if (minRole && !isAtLeast(req.actor, minRole)) throw forbidden(`This needs the ${minRole} role or higher`);
}

/** Every route registered after registerRouteAuth, with the config it ended up with (for the test that audits them). */
export function routeTable(app: FastifyInstance): readonly RouteOptions[] {
  return routeTables.get(app) ?? [];
}

/** Marks every route registered in `scope` (by a third-party plugin: documentation, static files) as public. */
export function declarePublicScope(scope: FastifyInstance): void {
  scope.addHook('onRoute', (route) => {
    route.config = { ...route.config, auth: route.config?.auth ?? 'public' };
  });
}

const unauthenticated = () => new AppError('unauthenticated', 'Log in or send an API key as "Authorization: Bearer <key>"');

/** The key of the rate limiter: the verified credential, else the client address, never unverified header text. */
export function rateLimitKey(req: FastifyRequest): string {
  const a = req.actor;
  if (a?.kind === 'api_key') return `key:${a.keyId}`;
  if (a?.kind === 'user') return `user:${a.userId}`;
  return `ip:${req.ip}`;
}

export interface CtxDeps {
  database: Database;
  events: EventBus;
}

/** The request's context; 401 when nobody is logged in. */
export function ctxOf(deps: CtxDeps, req: FastifyRequest): Ctx {
  if (!req.actor) throw req.authFailure ?? unauthenticated();
  return { db: deps.database.db, events: deps.events, accountId: req.actor.accountId, actor: req.actor, requestId: req.id };
}

export function noStore(reply: FastifyReply): void {
  reply.header('cache-control', 'no-store');
}
