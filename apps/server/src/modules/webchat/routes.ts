import {
  WIDGET_BODY_LIMIT_BYTES,
  ZWidgetHistoryEnvelope,
  ZWidgetIdentifyBody,
  ZWidgetParams,
  ZWidgetSendBody,
  ZWidgetSendEnvelope,
  ZWidgetSessionEnvelope,
  ZWidgetSocketQuery,
} from '@touchpoint/shared';
import type { FastifyRequest } from 'fastify';
import { systemCtx } from '../../platform/context';
import { noStore } from '../../platform/http/auth';
import type { App, AppDeps } from '../../platform/module';
import { withTenant } from '../../db/tenant';
import type { WebhookChannel } from '../channels';
import { identifyVisitor } from './commands/identify-visitor';
import { sendVisitorMessage } from './commands/send-visitor-message';
import { startVisitorSession } from './commands/start-visitor-session';
import { visitorOf, webChannel } from './auth';
import { verifyIdentityHash } from './identity-hash';
import { presentVisitorMessage } from './presenters';
import { findAgentReadAt, listVisitorMessages, type VisitorRow } from './queries';
import { registerAgentWebchatRoutes } from './routes-agent';
import { registerWidgetAttachmentRoutes } from './routes-attachments';
import { registerWidgetFormRoutes } from './routes-forms';
import { visitorProfile } from './sockets';

const tags = ['webchat'];

declare module 'fastify' {
  interface FastifyRequest {
    webchatVisitor?: VisitorRow;
    webchatChannel?: WebhookChannel;
  }
}

/** The visitor's messages and when an agent last read their conversation, as the widget shows them. */
async function history(deps: AppDeps, v: VisitorRow) {
  const { rows, readAt } = await withTenant(deps.database.db, v.accountId, async (tx) => ({
    rows: await listVisitorMessages(tx, v),
    readAt: await findAgentReadAt(tx, v),
  }));
  return { messages: rows.map(presentVisitorMessage), agentReadAt: readAt?.toISOString() ?? null };
}

/**
 * The visitor API of the web chat widget, under `/api/v1/widget/:channelId`. Public (no agent credentials): a
 * visitor authenticates with the token of their session, which is bound to one channel and one customer.
 */
/** Marks the visitor routes, so the agents' credential check leaves their Bearer visitor tokens alone. */
const VISITOR_ROUTE = { auth: 'visitor' } as const;

export function registerWebchatRoutes(app: App, deps: AppDeps, onTyping: (v: VisitorRow) => void): void {
  app.post(
    '/widget/:channelId/sessions',
    {
      config: VISITOR_ROUTE,
      bodyLimit: WIDGET_BODY_LIMIT_BYTES,
      schema: {
        tags,
        summary: 'Start an anonymous visitor session on a web channel',
        params: ZWidgetParams,
        response: { 201: ZWidgetSessionEnvelope },
      },
    },
    async (req, reply) => {
      const channel = await webChannel(deps, req.params.channelId);
      const ctx = { ...systemCtx({ db: deps.database.db, events: deps.events }, channel.accountId, 'webchat'), requestId: req.id };
      const { token, visitor } = await startVisitorSession(ctx, channel.id);
      noStore(reply);
      return reply.status(201).send({ data: { token, ...(await history(deps, visitor)) } });
    },
  );

  app.get(
    '/widget/:channelId/messages',
    {
      config: VISITOR_ROUTE,
      schema: {
        tags,
        summary: "The visitor's messages on this channel, oldest first",
        params: ZWidgetParams,
        response: { 200: ZWidgetHistoryEnvelope },
      },
    },
    async (req, reply) => {
      const channel = await webChannel(deps, req.params.channelId);
      const visitor = await visitorOf(deps, req, channel);
      noStore(reply);
      return { data: await history(deps, visitor) };
    },
  );

  app.post(
    '/widget/:channelId/messages',
    {
      config: VISITOR_ROUTE,
      bodyLimit: WIDGET_BODY_LIMIT_BYTES,
      schema: {
        tags,
        summary: 'Send a message as the visitor (idempotent on clientMessageId)',
        params: ZWidgetParams,
        body: ZWidgetSendBody,
        response: { 200: ZWidgetSendEnvelope, 201: ZWidgetSendEnvelope },
      },
      // Authenticate before the body is validated: a stranger learns nothing, not even the body format.
      preValidation: async (req: FastifyRequest<{ Params: { channelId: string } }>) => {
        const channel = await webChannel(deps, req.params.channelId);
        req.webchatVisitor = await visitorOf(deps, req, channel);
      },
    },
    async (req, reply) => {
      const result = await sendVisitorMessage(
        { db: deps.database.db, events: deps.events, requestId: req.id },
        req.webchatVisitor!,
        req.body,
      );
      return reply.status(result.duplicate ? 200 : 201).send({ data: result });
    },
  );

  app.post(
    '/widget/:channelId/identify',
    {
      config: VISITOR_ROUTE,
      bodyLimit: WIDGET_BODY_LIMIT_BYTES,
      schema: {
        tags,
        summary: "Attach the visitor to the site's logged-in user (HMAC identity hash)",
        params: ZWidgetParams,
        body: ZWidgetIdentifyBody,
        response: { 200: ZWidgetHistoryEnvelope },
      },
      // Like sending: the token is checked before the body, so a stranger learns nothing.
      preValidation: async (req: FastifyRequest<{ Params: { channelId: string } }>) => {
        req.webchatChannel = await webChannel(deps, req.params.channelId);
        req.webchatVisitor = await visitorOf(deps, req, req.webchatChannel);
      },
    },
    async (req, reply) => {
      const { hash, ...identity } = req.body;
      // Before anything is written: a forged hash changes nothing (422, not 401, so the widget keeps its token).
      verifyIdentityHash(req.webchatChannel!.webhookSecret, { ...identity, hash });
      const channel = req.webchatChannel!;
      const ctx = { ...systemCtx({ db: deps.database.db, events: deps.events }, channel.accountId, 'webchat'), requestId: req.id };
      const visitor = await identifyVisitor(ctx, req.webchatVisitor!, identity);
      noStore(reply);
      return { data: await history(deps, visitor) };
    },
  );

  app.get(
    '/widget/:channelId/ws',
    {
      config: VISITOR_ROUTE,
      websocket: true,
      schema: { hide: true, params: ZWidgetParams, querystring: ZWidgetSocketQuery },
      // Refused before the upgrade, so a client sees a plain 401/404 answer instead of an open-then-closed socket.
      preValidation: async (req: FastifyRequest<{ Params: { channelId: string } }>) => {
        const channel = await webChannel(deps, req.params.channelId);
        req.webchatVisitor = await visitorOf(deps, req, channel, { allowQuery: true });
      },
    },
    (socket, req) => {
      const v = req.webchatVisitor!;
      const actor = { kind: 'customer' as const, customerId: v.customerId, accountId: v.accountId, channelId: v.channelId };
      deps.hub.accept(socket, actor, visitorProfile(v, onTyping));
    },
  );

  registerWidgetFormRoutes(app, deps);
  registerAgentWebchatRoutes(app, deps);
  registerWidgetAttachmentRoutes(app, deps);
}
