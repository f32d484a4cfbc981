import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/client';
import type { Actor, Ctx } from '../context';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import { SESSION_COOKIE } from './tokens';

/** Resolves credentials to an actor; implemented by the accounts module, consumed here. */
export interface Authenticator {
  fromSession(token: string): Promise<Actor | null>;
  fromApiKey(token: string): Promise<Actor | null>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route authenticates its own callers (the widget's visitor tokens), never agents' sessions or API keys. */
    visitorCredentials?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
    sessionToken: string | null;
  }
}

export function credentialsOf(req: FastifyRequest): { kind: 'session' | 'api_key'; token: string } | null {
  if (req.routeOptions.config.visitorCredentials) return null;
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

export interface CtxDeps {
  database: Database;
  events: EventBus;
}

/** The request's context; 401 when nobody is logged in. */
export function ctxOf(deps: CtxDeps, req: FastifyRequest): Ctx {
  if (!req.actor) throw new AppError('unauthenticated', 'Log in or send an API key as "Authorization: Bearer <key>"');
  return { db: deps.database.db, events: deps.events, accountId: req.actor.accountId, actor: req.actor, requestId: req.id };
}

export function noStore(reply: FastifyReply): void {
  reply.header('cache-control', 'no-store');
}
