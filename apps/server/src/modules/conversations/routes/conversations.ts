import {
  ZAssignmentBody,
  ZChangeStatusBody,
  ZConversationEnvelope,
  ZConversationNumberParams,
  ZConversationListPage,
  ZConversationParams,
  ZCreateConversationBody,
  ZCreatedConversationEnvelope,
  ZListConversationsQuery,
  ZTagsBody,
  ZUpdateConversationBody,
} from '@touchpoint/shared';
import { authorize } from '../../../platform/authz';
import { forbidden } from '../../../platform/errors';
import { ctxOf } from '../../../platform/http/auth';
import { hotResponse } from '../../../platform/http/fast-serializer';
import { parseIdempotencyKey } from '../../../platform/idempotency';
import type { App, AppDeps } from '../../../platform/module';
import { read } from '../../../platform/tx';
import { assignConversation } from '../commands/assign-conversation';
import { changeConversationStatus } from '../commands/change-conversation-status';
import { createConversation } from '../commands/create-conversation';
import { setConversationTags } from '../commands/set-conversation-tags';
import { updateConversation } from '../commands/update-conversation';
import { canReadConversations, conversationPolicy } from '../policy';
import { getConversation, getConversationByNumber, type ConversationWithCustomer } from '../queries';
import { listConversationsView } from '../list-view';
import { presentConversation, presentMessage, type ConversationRow } from '../presenters';
import { conversationPolicies } from './policies';

const tags = ['conversations'];

export function registerConversationRoutes(app: App, deps: AppDeps): void {
  const one = (actor: Parameters<typeof conversationPolicies>[0], row: ConversationRow) => ({
    data: presentConversation(row),
    policies: conversationPolicies(actor, [row]),
  });
  const withCustomer = (actor: Parameters<typeof conversationPolicies>[0], r: ConversationWithCustomer) => ({
    data: presentConversation(r.conversation, r.customer),
    policies: conversationPolicies(actor, [r.conversation]),
  });

  app.post(
    '/conversations',
    {
      schema: {
        tags,
        summary: 'Start a conversation with its first message',
        body: ZCreateConversationBody,
        response: { 200: ZCreatedConversationEnvelope, 201: ZCreatedConversationEnvelope },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(deps, req);
      const r = await createConversation(ctx, req.body, { idempotencyKey: parseIdempotencyKey(req.headers['idempotency-key']) });
      // A retry gets what the first request created, with 200 like a repeated message send (docs/api.md).
      if (r.replayed) void reply.header('idempotent-replayed', 'true');
      return reply.status(r.replayed ? 200 : 201).send({
        data: { conversation: presentConversation(r.conversation, r.customer), message: presentMessage(r.message) },
        policies: conversationPolicies(ctx.actor, [r.conversation]),
      });
    },
  );

  app.get(
    '/conversations',
    {
      schema: {
        tags,
        summary: 'The inbox: conversations by view, filters and SLA state, ordered by activity, waiting time or SLA due',
        querystring: ZListConversationsQuery,
        response: { 200: hotResponse(ZConversationListPage) },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      if (!canReadConversations(ctx.actor)) throw forbidden();
      const page = await read(ctx, (tx) => listConversationsView(tx, ctx, req.query));
      return {
        data: page.items,
        page: { nextCursor: page.nextCursor, limit: req.query.limit },
        policies: conversationPolicies(ctx.actor, page.subjects),
      };
    },
  );

  app.get(
    '/conversations/by-number/:number',
    {
      schema: {
        tags,
        summary: 'Get a conversation by its number (#1042)',
        params: ZConversationNumberParams,
        response: { 200: ZConversationEnvelope },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      const r = await read(ctx, (tx) => getConversationByNumber(tx, ctx.accountId, req.params.number));
      authorize(ctx.actor, conversationPolicy, 'read', r.conversation);
      return withCustomer(ctx.actor, r);
    },
  );

  app.get(
    '/conversations/:id',
    {
      schema: {
        tags,
        summary: 'Get a conversation with its customer summary',
        params: ZConversationParams,
        response: { 200: ZConversationEnvelope },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      const r = await read(ctx, (tx) => getConversation(tx, ctx.accountId, req.params.id));
      authorize(ctx.actor, conversationPolicy, 'read', r.conversation);
      return withCustomer(ctx.actor, r);
    },
  );

  app.patch(
    '/conversations/:id',
    {
      schema: {
        tags,
        summary: 'Change subject, priority or custom attributes',
        params: ZConversationParams,
        body: ZUpdateConversationBody,
        response: { 200: ZConversationEnvelope },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      return one(ctx.actor, await updateConversation(ctx, { conversationId: req.params.id, ...req.body }));
    },
  );

  app.post(
    '/conversations/:id/status',
    {
      schema: {
        tags,
        summary: 'Open, pend, snooze, resolve or reopen',
        params: ZConversationParams,
        body: ZChangeStatusBody,
        response: { 200: ZConversationEnvelope },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      const { status, snoozedUntil } = req.body;
      const row = await changeConversationStatus(ctx, {
        conversationId: req.params.id,
        status,
        snoozedUntil: snoozedUntil ? new Date(snoozedUntil) : undefined,
      });
      return one(ctx.actor, row);
    },
  );

  app.post(
    '/conversations/:id/assignment',
    {
      schema: {
        tags,
        summary: 'Assign to an agent and/or a team (null unassigns)',
        params: ZConversationParams,
        body: ZAssignmentBody,
        response: { 200: ZConversationEnvelope },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      return one(ctx.actor, await assignConversation(ctx, { conversationId: req.params.id, ...req.body }));
    },
  );

  app.put(
    '/conversations/:id/tags',
    {
      schema: { tags, summary: 'Replace the tags', params: ZConversationParams, body: ZTagsBody, response: { 200: ZConversationEnvelope } },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      return one(ctx.actor, await setConversationTags(ctx, { conversationId: req.params.id, tags: req.body.tags }));
    },
  );
}
