import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config';
import type { Database } from '../db/client';
import type { EventBus } from './events';
import type { Authenticator } from './http/auth';
import type { JobQueue } from './jobs';
import type { RealtimeHub } from './realtime';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** Everything a module may use, passed explicitly (no globals, no thread-local "current user"). */
export interface AppDeps {
  config: Config;
  database: Database;
  events: EventBus;
  jobs: JobQueue;
  hub: RealtimeHub;
  /** Resolves session cookies and API keys to actors; `forget` drops a revoked credential from its cache. */
  authenticator: Authenticator & { forget(token: string): void };
}

/** A domain capability: its routes, listeners, jobs and realtime topics, registered by app.ts explicitly. */
export interface Module {
  name: string;
  register(app: App, deps: AppDeps): void | Promise<void>;
}
