import { ZIdParams, ZMeEnvelope, ZPageQuery, ZUpdateMeBody, ZUpdateUserBody, ZUserEnvelope, ZUserPage } from '@touchpoint/shared';
import { ctxOf, noStore } from '../../../platform/http/auth';
import type { App, AppDeps } from '../../../platform/module';
import { updateMe } from '../commands/update-me';
import { updateMember } from '../commands/update-member';
import { presentMember } from '../presenters';
import { getMe, getMember, listMembers, memberPolicies } from '../queries';

export function registerUserRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/me',
    {
      schema: {
        tags: ['users'],
        summary: 'The caller: user, account, role, teams, and abilities (policies)',
        response: { 200: ZMeEnvelope },
      },
    },
    async (req, reply) => {
      noStore(reply);
      return getMe(ctxOf(deps, req));
    },
  );

  app.patch(
    '/me',
    {
      schema: { tags: ['users'], summary: 'Change your own name', body: ZUpdateMeBody, response: { 200: ZMeEnvelope } },
    },
    async (req, reply) => {
      const ctx = ctxOf(deps, req);
      await updateMe(ctx, req.body);
      // The cached actor carries the name (typing indicators, activity): drop it on this node.
      if (ctx.actor.kind === 'user') deps.authenticator.forget(`user:${ctx.actor.userId}`);
      noStore(reply);
      return getMe(ctx);
    },
  );

  app.get(
    '/users',
    { schema: { tags: ['users'], summary: 'List the members of this account', querystring: ZPageQuery, response: { 200: ZUserPage } } },
    async (req) => listMembers(ctxOf(deps, req), req.query),
  );

  app.get(
    '/users/:id',
    { schema: { tags: ['users'], summary: 'One member of this account', params: ZIdParams, response: { 200: ZUserEnvelope } } },
    async (req) => getMember(ctxOf(deps, req), req.params.id),
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: "Change a member's role or deactivate them (admins; owners for admins and owners)",
        params: ZIdParams,
        body: ZUpdateUserBody,
        response: { 200: ZUserEnvelope },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      const member = await updateMember(ctx, req.params.id, req.body);
      // Their cached actor (role, active) must not outlive the change on this node.
      deps.authenticator.forget(`user:${member.userId}`);
      return { data: presentMember(member), policies: [memberPolicies(ctx, member)] };
    },
  );
}
