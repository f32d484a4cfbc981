import { z } from 'zod';
import { requestRouting } from './commands/request-routing';
import {
  decodeCursor,
  encodeCursor,
  ZCreateRoutingRuleBody,
  ZCreateSkillBody,
  ZIdParams,
  ZOfferResponseBody,
  ZPresenceEnvelope,
  ZPresenceList,
  ZPresenceMeEnvelope,
  ZRoutingDecisionPage,
  ZRoutingDecisionQuery,
  ZRoutingOfferEnvelope,
  ZRoutingProfileBody,
  ZRoutingProfileEnvelope,
  ZRoutingQueueList,
  ZRoutingRuleEnvelope,
  ZRoutingRuleList,
  ZSetPresenceBody,
  ZSkillEnvelope,
  ZSkillList,
  ZTeamRoutingBody,
  ZTeamRoutingEnvelope,
} from '@touchpoint/shared';
import { conversationExists } from '../conversations';
import { authorize } from '../../platform/authz';
import { systemCtx } from '../../platform/context';
import { invalid, notFound } from '../../platform/errors';
import { ctxOf } from '../../platform/http/auth';
import type { App, AppDeps } from '../../platform/module';
import { read } from '../../platform/tx';
import { createRoutingRule, deleteRoutingRule, reorderRoutingRules, replaceRoutingRule } from './commands/manage-rules';
import { createSkill, deleteSkill, setRoutingProfile } from './commands/manage-skills';
import { setTeamRouting } from './commands/set-team-routing';
import { presentOffer, respondToOffer } from './engine/offers';
import type { routingJobs } from './jobs';
import type { presenceJobs } from './presence-jobs';
import { routingPolicies, routingPolicy } from './policy';
import { presentDecision, presentRule, presentSkill } from './presenters';
import {
  availableOnOpen,
  getRoutingProfile,
  getTeamRouting,
  listDecisions,
  listPresence,
  listQueue,
  listRules,
  listSkills,
} from './queries';

const tags = ['routing'];

export function registerRoutingRoutes(
  app: App,
  deps: AppDeps,
  jobs: ReturnType<typeof routingJobs>,
  presence: ReturnType<typeof presenceJobs>,
): void {
  const ctx = (req: Parameters<typeof ctxOf>[1]) => ctxOf(deps, req);

  app.put(
    '/presence',
    { schema: { tags, summary: 'Set my presence state', body: ZSetPresenceBody, response: { 200: ZPresenceEnvelope } } },
    async (req) => {
      const c = ctx(req);
      await presence.setOwnPresence(c, req.body.state, req.body.source);
      const me = (await read(c, (tx) => listPresence(tx, c.accountId))).find((p) => p.userId === (c.actor as { userId: string }).userId);
      return { data: me!, policies: routingPolicies(c.actor) };
    },
  );

  app.get(
    '/presence/me',
    {
      schema: {
        tags,
        summary:
          'My presence state and load, and whether opening the workspace makes me available (people who take conversations; analysts get 404)',
        response: { 200: ZPresenceMeEnvelope },
      },
    },
    async (req) => {
      const c = ctx(req);
      const userId = c.actor.kind === 'user' ? c.actor.userId : null;
      const found = userId
        ? await read(c, async (tx) => ({
            me: (await listPresence(tx, c.accountId)).find((p) => p.userId === userId),
            availableOnOpen: await availableOnOpen(tx, c.accountId),
          }))
        : null;
      if (!found?.me) throw notFound('Presence');
      return { data: { ...found.me, availableOnOpen: found.availableOnOpen }, policies: routingPolicies(c.actor) };
    },
  );

  app.get(
    '/presence',
    { schema: { tags, summary: "Every agent's state and load (supervisors)", response: { 200: ZPresenceList } } },
    async (req) => {
      const c = ctx(req);
      authorize(c.actor, routingPolicy, 'read_presence', c.accountId);
      return { data: await read(c, (tx) => listPresence(tx, c.accountId)) };
    },
  );

  app.get(
    '/teams/:id/routing',
    { schema: { tags, summary: "A team's routing settings", params: ZIdParams, response: { 200: ZTeamRoutingEnvelope } } },
    async (req) => {
      const c = ctx(req);
      const data = await read(c, (tx) => getTeamRouting(tx, c.accountId, req.params.id));
      authorize(c.actor, routingPolicy, 'read_routing', c.accountId);
      return { data };
    },
  );

  app.put(
    '/teams/:id/routing',
    {
      schema: {
        tags,
        summary: 'Set capacity weights, max load and policy of a team',
        params: ZIdParams,
        body: ZTeamRoutingBody,
        response: { 200: ZTeamRoutingEnvelope },
      },
    },
    async (req) => ({ data: await setTeamRouting(ctx(req), req.params.id, req.body) }),
  );

  app.get('/skills', { schema: { tags, summary: 'List skills', response: { 200: ZSkillList } } }, async (req) => {
    const c = ctx(req);
    authorize(c.actor, routingPolicy, 'read_routing', c.accountId);
    return { data: (await read(c, (tx) => listSkills(tx, c.accountId))).map(presentSkill) };
  });

  app.post(
    '/skills',
    { schema: { tags, summary: 'Create a skill', body: ZCreateSkillBody, response: { 201: ZSkillEnvelope } } },
    async (req, reply) => reply.status(201).send({ data: presentSkill(await createSkill(ctx(req), req.body.name)) }),
  );

  app.delete(
    '/skills/:id',
    { schema: { tags, summary: 'Delete a skill (and its agent proficiencies)', params: ZIdParams } },
    async (req, reply) => {
      await deleteSkill(ctx(req), req.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/users/:id/routing-profile',
    { schema: { tags, summary: "An agent's skills and languages", params: ZIdParams, response: { 200: ZRoutingProfileEnvelope } } },
    async (req) => {
      const c = ctx(req);
      const data = await read(c, (tx) => getRoutingProfile(tx, c.accountId, req.params.id));
      authorize(c.actor, routingPolicy, 'read_routing', c.accountId);
      return { data };
    },
  );

  app.put(
    '/users/:id/routing-profile',
    {
      schema: {
        tags,
        summary: "Replace an agent's skills (proficiency 1-5) and languages",
        params: ZIdParams,
        body: ZRoutingProfileBody,
        response: { 200: ZRoutingProfileEnvelope },
      },
    },
    async (req) => ({ data: await setRoutingProfile(ctx(req), req.params.id, req.body) }),
  );

  app.get(
    '/routing/rules',
    { schema: { tags, summary: 'Routing rules in evaluation order', response: { 200: ZRoutingRuleList } } },
    async (req) => {
      const c = ctx(req);
      authorize(c.actor, routingPolicy, 'read_routing', c.accountId);
      return { data: (await read(c, (tx) => listRules(tx, c.accountId))).map(presentRule) };
    },
  );

  app.post(
    '/routing/rules',
    { schema: { tags, summary: 'Add a routing rule', body: ZCreateRoutingRuleBody, response: { 201: ZRoutingRuleEnvelope } } },
    async (req, reply) => reply.status(201).send({ data: presentRule(await createRoutingRule(ctx(req), req.body)) }),
  );

  app.put(
    '/routing/rules/order',
    {
      schema: {
        tags,
        summary: 'Set the evaluation order of the routing rules (every rule id, once)',
        body: z.strictObject({ ids: z.array(z.uuid()).max(500) }),
        response: { 200: ZRoutingRuleList },
      },
    },
    async (req) => {
      const c = ctx(req);
      await reorderRoutingRules(c, req.body.ids);
      return { data: (await read(c, (tx) => listRules(tx, c.accountId))).map(presentRule) };
    },
  );

  app.put(
    '/routing/rules/:id',
    {
      schema: {
        tags,
        summary: 'Replace a routing rule',
        params: ZIdParams,
        body: ZCreateRoutingRuleBody,
        response: { 200: ZRoutingRuleEnvelope },
      },
    },
    async (req) => ({ data: presentRule(await replaceRoutingRule(ctx(req), req.params.id, req.body)) }),
  );

  app.delete('/routing/rules/:id', { schema: { tags, summary: 'Delete a routing rule', params: ZIdParams } }, async (req, reply) => {
    await deleteRoutingRule(ctx(req), req.params.id);
    return reply.status(204).send();
  });

  app.get(
    '/routing/queue',
    { schema: { tags, summary: 'Queued conversations, next first (supervisors)', response: { 200: ZRoutingQueueList } } },
    async (req) => {
      const c = ctx(req);
      authorize(c.actor, routingPolicy, 'read_queue', c.accountId);
      const rows = await read(c, (tx) => listQueue(tx, c.accountId));
      return {
        data: rows.map((q) => ({
          conversationId: q.conversationId,
          priority: q.priority,
          enqueuedAt: q.enqueuedAt.toISOString(),
          teamId: q.teamId,
          relaxationLevel: q.relaxationLevel,
        })),
      };
    },
  );

  app.post(
    '/conversations/:id/routing-offer',
    {
      schema: {
        tags,
        summary: 'Accept or decline the offer of a chat or call (the offered agent only)',
        params: ZIdParams,
        body: ZOfferResponseBody,
        response: { 200: ZRoutingOfferEnvelope },
      },
    },
    async (req) => {
      const c = ctx(req);
      const offer = await respondToOffer(c, req.params.id, req.body.response);
      if (offer.status === 'declined')
        await jobs.route(
          systemCtx({ db: deps.database.db, events: deps.events }, c.accountId, 'routing.offer_declined'),
          offer.conversationId,
        );
      return { data: presentOffer(offer) };
    },
  );

  app.post(
    '/conversations/:id/routing',
    {
      schema: {
        tags,
        summary: 'Route the conversation again (transfer or escalation): unassign it, optionally move it to a team, let the engine decide',
        params: ZIdParams,
        body: z.strictObject({ teamId: z.uuid().optional() }),
        response: { 202: z.object({ data: z.object({ conversationId: z.uuid(), status: z.literal('routing') }) }) },
      },
    },
    async (req, reply) => {
      await requestRouting(ctx(req), req.params.id, req.body);
      return reply.status(202).send({ data: { conversationId: req.params.id, status: 'routing' as const } });
    },
  );

  app.get(
    '/conversations/:id/routing-decisions',
    {
      schema: {
        tags,
        summary: 'Routing decisions of a conversation, newest first, with explanations',
        params: ZIdParams,
        querystring: ZRoutingDecisionQuery,
        response: { 200: ZRoutingDecisionPage },
      },
    },
    async (req) => {
      const c = ctx(req);
      const cursor = req.query.cursor ? decodeCursor(req.query.cursor) : null;
      const before = cursor?.[0];
      if (req.query.cursor && (typeof before !== 'string' || !/^[0-9a-f-]{36}$/i.test(before))) throw invalid('cursor', 'Invalid cursor');
      const page = await read(c, async (tx) => {
        if (!(await conversationExists(tx, c.accountId, req.params.id))) throw notFound('Conversation');
        authorize(c.actor, routingPolicy, 'read_routing', c.accountId);
        return listDecisions(tx, c.accountId, req.params.id, req.query.limit, (before as string | undefined) ?? null);
      });
      const last = page.items.at(-1);
      return {
        data: page.items.map(presentDecision),
        page: { nextCursor: page.more && last ? encodeCursor([last.id]) : null, limit: req.query.limit },
      };
    },
  );
}
