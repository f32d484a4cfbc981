import {
  ZCreateRuleBody,
  ZDryRunBody,
  ZDryRunEnvelope,
  ZIdParams,
  ZPageQuery,
  ZRuleEnvelope,
  ZRulePage,
  ZRunPage,
  ZUpdateRuleBody,
  type RuleAction,
} from '@touchpoint/shared';
import { z } from 'zod';
import { abilitiesFor, authorize } from '../../platform/authz';
import type { Actor } from '../../platform/context';
import { ctxOf } from '../../platform/http/auth';
import type { App, AppDeps } from '../../platform/module';
import { assertAllowedDestinations } from '../../platform/outbound-http';
import { read } from '../../platform/tx';
import { createRule, deleteRule, updateRule } from './commands/save-rule';
import { dryRunRule } from './dry-run';
import { rulePolicy } from './policy';
import { presentRule, presentRun, type RuleRow } from './presenters';
import { getRule, listRules, listRuns } from './rule-queries';

const tags = ['automation'];

export function registerRuleRoutes(
  app: App,
  deps: AppDeps,
  onSaved: (rule: RuleRow) => Promise<void>,
  onDeleted: () => Promise<void>,
): void {
  const present = (actor: Actor, row: RuleRow) => presentRule(row, { withSecret: rulePolicy.manage(actor, row) });
  const policies = (actor: Actor, rows: RuleRow[]) => rows.map((r) => ({ id: r.id, abilities: abilitiesFor(actor, rulePolicy, r) }));
  const one = (actor: Actor, row: RuleRow) => ({ data: present(actor, row), policies: policies(actor, [row]) });
  // A webhook to a private or metadata address is refused when saved (DNS, so before the command's transaction).
  const checkWebhookDestinations = (actions: RuleAction[] | undefined) =>
    assertAllowedDestinations(
      (actions ?? []).flatMap((a, i) => (a.type === 'call_webhook' ? [{ path: `body.actions.${i}.url`, target: a.url }] : [])),
      deps.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'on',
    );

  app.post(
    '/automation/rules',
    { schema: { tags, summary: 'Create an automation rule', body: ZCreateRuleBody, response: { 201: ZRuleEnvelope } } },
    async (req, reply) => {
      const ctx = ctxOf(deps, req);
      await checkWebhookDestinations(req.body.actions);
      const rule = await createRule(ctx, req.body);
      await onSaved(rule);
      return reply.status(201).send(one(ctx.actor, rule));
    },
  );

  app.get(
    '/automation/rules',
    { schema: { tags, summary: 'List automation rules', querystring: ZPageQuery, response: { 200: ZRulePage } } },
    async (req) => {
      const ctx = ctxOf(deps, req);
      authorize(ctx.actor, rulePolicy, 'read', { accountId: ctx.accountId });
      const page = await read(ctx, (tx) => listRules(tx, ctx.accountId, req.query));
      return {
        data: page.items.map((r) => present(ctx.actor, r)),
        page: { nextCursor: page.nextCursor, limit: req.query.limit },
        policies: policies(ctx.actor, page.items),
      };
    },
  );

  app.get(
    '/automation/rules/:id',
    { schema: { tags, summary: 'Get an automation rule', params: ZIdParams, response: { 200: ZRuleEnvelope } } },
    async (req) => {
      const ctx = ctxOf(deps, req);
      const rule = await read(ctx, (tx) => getRule(tx, ctx.accountId, req.params.id));
      authorize(ctx.actor, rulePolicy, 'read', rule);
      return one(ctx.actor, rule);
    },
  );

  app.patch(
    '/automation/rules/:id',
    { schema: { tags, summary: 'Update an automation rule', params: ZIdParams, body: ZUpdateRuleBody, response: { 200: ZRuleEnvelope } } },
    async (req) => {
      const ctx = ctxOf(deps, req);
      await checkWebhookDestinations(req.body.actions);
      const rule = await updateRule(ctx, req.params.id, req.body);
      await onSaved(rule);
      return one(ctx.actor, rule);
    },
  );

  app.delete(
    '/automation/rules/:id',
    { schema: { tags, summary: 'Delete an automation rule (and its runs)', params: ZIdParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await deleteRule(ctxOf(deps, req), req.params.id);
      await onDeleted();
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/automation/rules/:id/runs',
    {
      schema: { tags, summary: "A rule's runs, newest first", params: ZIdParams, querystring: ZPageQuery, response: { 200: ZRunPage } },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      const page = await read(ctx, async (tx) => {
        const rule = await getRule(tx, ctx.accountId, req.params.id);
        authorize(ctx.actor, rulePolicy, 'read', rule);
        return listRuns(tx, ctx.accountId, rule.id, req.query);
      });
      return { data: page.items.map(presentRun), page: { nextCursor: page.nextCursor, limit: req.query.limit } };
    },
  );

  app.post(
    '/automation/rules/:id/dry-run',
    {
      schema: {
        tags,
        summary: 'Evaluate a rule against a conversation without acting',
        params: ZIdParams,
        body: ZDryRunBody,
        response: { 200: ZDryRunEnvelope },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      return { data: await dryRunRule(ctx, req.params.id, req.body.conversationId) };
    },
  );
}
