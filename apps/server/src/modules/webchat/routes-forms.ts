import {
  WIDGET_BODY_LIMIT_BYTES,
  ZWidgetConfigEnvelope,
  ZWidgetOfflineBody,
  ZWidgetParams,
  ZWidgetPrechatBody,
  ZWidgetReadEnvelope,
  ZWidgetSendEnvelope,
} from '@touchpoint/shared';
import type { FastifyRequest } from 'fastify';
import { systemCtx } from '../../platform/context';
import { noStore } from '../../platform/http/auth';
import type { App, AppDeps } from '../../platform/module';
import { visitorOf, webChannel } from './auth';
import { markReadByVisitor } from './commands/read-state';
import { sendOfflineMessage } from './commands/send-offline-message';
import { checkPrechat, submitPrechat } from './commands/submit-prechat';
import { widgetConfig, widgetSettings } from './config';

const tags = ['webchat'];
const VISITOR_ROUTE = { auth: 'visitor' } as const;

/** Authenticates the visitor before the body is validated, so a stranger learns nothing, not even the body format. */
const visitorFirst = (deps: AppDeps) => async (req: FastifyRequest<{ Params: { channelId: string } }>) => {
  req.webchatChannel = await webChannel(deps, req.params.channelId);
  req.webchatVisitor = await visitorOf(deps, req, req.webchatChannel);
};

/** The widget's config, its pre-chat and offline forms, and the visitor's "I have read the replies". */
export function registerWidgetFormRoutes(app: App, deps: AppDeps): void {
  const base = (req: FastifyRequest) => ({ db: deps.database.db, events: deps.events, requestId: req.id });

  app.get(
    '/widget/:channelId/config',
    {
      config: VISITOR_ROUTE,
      schema: {
        tags,
        summary: 'What the widget needs before the visitor writes: is anyone online, the pre-chat form, the greeting',
        params: ZWidgetParams,
        response: { 200: ZWidgetConfigEnvelope },
      },
    },
    async (req, reply) => {
      const channel = await webChannel(deps, req.params.channelId);
      // Availability changes by the minute; a proxy or browser must not keep "online" around.
      noStore(reply);
      return { data: await widgetConfig(deps, channel) };
    },
  );

  app.post(
    '/widget/:channelId/prechat',
    {
      config: VISITOR_ROUTE,
      bodyLimit: WIDGET_BODY_LIMIT_BYTES,
      schema: {
        tags,
        summary: "The pre-chat form's answers: the name on the visitor's profile, the email as a claimed identity",
        params: ZWidgetParams,
        body: ZWidgetPrechatBody,
      },
      preValidation: visitorFirst(deps),
    },
    async (req, reply) => {
      const channel = req.webchatChannel!;
      const details = checkPrechat(widgetSettings(channel.config).prechat.fields, req.body);
      const ctx = { ...systemCtx(base(req), channel.accountId, 'webchat'), requestId: req.id };
      await submitPrechat(ctx, req.webchatVisitor!, details);
      // No outcome in the answer: whether an email is someone else's must not be observable from the widget.
      return reply.status(204).send();
    },
  );

  app.post(
    '/widget/:channelId/offline-messages',
    {
      config: VISITOR_ROUTE,
      bodyLimit: WIDGET_BODY_LIMIT_BYTES,
      schema: {
        tags,
        summary: 'Leave a message and an email to be answered at while nobody is available (idempotent on clientMessageId)',
        params: ZWidgetParams,
        body: ZWidgetOfflineBody,
        response: { 200: ZWidgetSendEnvelope, 201: ZWidgetSendEnvelope },
      },
      preValidation: visitorFirst(deps),
    },
    async (req, reply) => {
      const result = await sendOfflineMessage(base(req), req.webchatVisitor!, req.body);
      return reply.status(result.duplicate ? 200 : 201).send({ data: result });
    },
  );

  app.post(
    '/widget/:channelId/read',
    {
      config: VISITOR_ROUTE,
      schema: {
        tags,
        summary: "The visitor has the chat open: the agents' replies become read",
        params: ZWidgetParams,
        response: { 200: ZWidgetReadEnvelope },
      },
      preValidation: visitorFirst(deps),
    },
    async (req) => ({ data: { read: await markReadByVisitor(base(req), req.webchatVisitor!) } }),
  );
}
