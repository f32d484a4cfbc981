import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import Fastify from 'fastify';
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { uuidv7 } from 'uuidv7';
import { accountsModule } from './modules/accounts';
import { activityModule } from './modules/activity';
import { analyticsModule } from './modules/analytics';
import { channelsModule } from './modules/channels';
import { conversationsModule } from './modules/conversations';
import { customersModule } from './modules/customers';
import { emailModule } from './modules/email';
import { jobsAdminModule } from './modules/jobs-admin';
import { messagingModule } from './modules/messaging';
import { notificationsModule } from './modules/notifications';
import { automationModule } from './modules/automation';
import { routingModule } from './modules/routing';
import { slaModule } from './modules/sla';
import { voiceModule } from './modules/voice';
import { registerWidgetPages, webchatModule } from './modules/webchat';
import { declarePublicScope, rateLimitKey, registerRouteAuth } from './platform/http/auth';
import { registerCompression } from './platform/http/compression';
import { registerInputGuard } from './platform/http/input-guard';
import { registerProblemHandlers, sendRouteNotFound } from './platform/http/problem';
import { createResponseSerializerCompiler } from './platform/http/fast-serializer';
import type { App, AppDeps, Module } from './platform/module';
import { registerRealtimeRoute } from './platform/http/realtime-route';
import { webStaticOptions } from './platform/http/static-files';

const MODULES: Module[] = [
  accountsModule,
  channelsModule,
  customersModule,
  conversationsModule,
  activityModule,
  notificationsModule,
  routingModule,
  slaModule,
  automationModule,
  analyticsModule,
  jobsAdminModule,
  messagingModule,
  voiceModule,
  emailModule,
  webchatModule,
];
const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export async function buildApp(deps: AppDeps, opts: { logger?: boolean } = {}): Promise<App> {
  const { config } = deps;
  const app = Fastify({
    logger: opts.logger === false || config.LOG_LEVEL === 'silent' ? false : { level: config.LOG_LEVEL },
    bodyLimit: config.BODY_LIMIT_BYTES,
    // A hop count trusts that many proxies in front of us (the typings lack the numeric form, so spell it out).
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (
            (hops: number) => (_addr: string, i: number) =>
              i < hops
          )(config.trustProxy)
        : config.trustProxy,
    requestIdHeader: 'x-request-id',
    genReqId: () => uuidv7(),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  // zod-encoded responses, but hot schemas (hotResponse) through fast-json-stringify; outside production each of those
  // is also zod-serialised and compared, so the tests catch any drift from the contract.
  app.setSerializerCompiler(createResponseSerializerCompiler({ verify: config.NODE_ENV !== 'production' }));
  registerProblemHandlers(app);
  registerInputGuard(app);
  // Before any route is added: it decides per route whether answers are compressed.
  await registerCompression(app);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  await app.register(cookie);
  await app.register(rateLimit, {
    global: true,
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: '1 minute',
    keyGenerator: rateLimitKey,
    allowList: (req) => req.url === '/healthz' || req.url === '/readyz',
  });
  // After the rate limiter: every route from here on is for agents unless its config says otherwise.
  registerRouteAuth(app, deps.authenticator);
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Touchpoint API',
        version: '1.0.0',
        description:
          'Customer service and customer experience platform. Authenticate with the session cookie (web app) or `Authorization: Bearer <api key>`. Errors are application/problem+json with a stable `code`.',
      },
      servers: [{ url: config.PUBLIC_URL ?? '/' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API key created in Settings or with `touchpoint create-api-key`' },
          session: { type: 'apiKey', in: 'cookie', name: 'tp_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(async (docs) => {
    declarePublicScope(docs);
    await docs.register(swaggerUi, { routePrefix: '/api/docs' });
  });

  const PUBLIC = { auth: 'public' } as const;
  app.get('/healthz', { config: PUBLIC, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: PUBLIC, schema: { hide: true } }, async (_req, reply) => {
    try {
      await deps.database.pool.query('select 1');
      // Background health for operators: jobs run and failed here, and failures no request saw (commit hooks).
      return { status: 'ready', database: deps.database.kind, jobs: deps.jobs.stats, events: { errors: deps.events.errors } };
    } catch (err) {
      return reply.status(503).send({ status: 'unavailable', error: String(err) });
    }
  });
  app.get('/api/v1/openapi.json', { config: PUBLIC, schema: { hide: true } }, async () => app.swagger());

  await app.register(
    async (api) => {
      const typed = api.withTypeProvider<ZodTypeProvider>() as unknown as App;
      for (const m of MODULES) await m.register(typed, deps);
      registerRealtimeRoute(typed, deps);
    },
    { prefix: '/api/v1' },
  );

  registerWidgetPages(app, deps);

  const hasWeb = fs.existsSync(path.join(webDist, 'index.html'));
  if (hasWeb) {
    // The files' routes in a public scope; at the root only reply.sendFile, for the fallback below. Precompressed
    // copies and cache headers: platform/http/static-files.ts.
    await app.register(fastifyStatic, { ...webStaticOptions(webDist), serve: false });
    await app.register(async (web) => {
      declarePublicScope(web);
      await web.register(fastifyStatic, { ...webStaticOptions(webDist), wildcard: false, decorateReply: false });
    });
  }
  app.setNotFoundHandler((req, reply) => {
    // Client-side routes of the single-page app get index.html; API paths and non-HTML requests a problem+json 404.
    if (hasWeb && req.method === 'GET' && !req.url.startsWith('/api/') && req.headers.accept?.includes('text/html')) {
      return reply.type('text/html').sendFile('index.html');
    }
    sendRouteNotFound(req, reply);
  });
  return app;
}
