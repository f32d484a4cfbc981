import { ZCreateTeamBody, ZIdParams, ZPageQuery, ZTeamEnvelope, ZTeamMemberParams, ZTeamPage, ZUpdateTeamBody } from '@touchpoint/shared';
import { z } from 'zod';
import { ctxOf } from '../../../platform/http/auth';
import type { App, AppDeps } from '../../../platform/module';
import { addTeamMember } from '../commands/add-team-member';
import { createTeam } from '../commands/create-team';
import { deleteTeam } from '../commands/delete-team';
import { removeTeamMember } from '../commands/remove-team-member';
import { updateTeam } from '../commands/update-team';
import { MIN_ROLE } from '../policy';
import { getTeam, listTeams } from '../team-queries';

// Declared on the route too, so a caller below it is 403 before the body is looked at; the command still checks.
const TEAM_ADMINS = { minRole: MIN_ROLE.manage_teams };

export function registerTeamRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/teams',
    { schema: { tags: ['teams'], summary: 'List teams with their member ids', querystring: ZPageQuery, response: { 200: ZTeamPage } } },
    async (req) => listTeams(ctxOf(deps, req), req.query),
  );

  app.post(
    '/teams',
    {
      config: TEAM_ADMINS,
      schema: { tags: ['teams'], summary: 'Create a team (admins)', body: ZCreateTeamBody, response: { 201: ZTeamEnvelope } },
    },
    async (req, reply) => reply.status(201).send({ data: await createTeam(ctxOf(deps, req), req.body) }),
  );

  app.get(
    '/teams/:id',
    { schema: { tags: ['teams'], summary: 'One team', params: ZIdParams, response: { 200: ZTeamEnvelope } } },
    async (req) => getTeam(ctxOf(deps, req), req.params.id),
  );

  app.patch(
    '/teams/:id',
    {
      schema: {
        tags: ['teams'],
        summary: 'Rename or describe a team (admins)',
        params: ZIdParams,
        body: ZUpdateTeamBody,
        response: { 200: ZTeamEnvelope },
      },
    },
    async (req) => ({ data: await updateTeam(ctxOf(deps, req), req.params.id, req.body) }),
  );

  app.delete(
    '/teams/:id',
    { schema: { tags: ['teams'], summary: 'Delete a team (admins)', params: ZIdParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await deleteTeam(ctxOf(deps, req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/teams/:id/members/:userId',
    {
      schema: {
        tags: ['teams'],
        summary: 'Add a member to a team (supervisors)',
        params: ZTeamMemberParams,
        response: { 200: ZTeamEnvelope },
      },
    },
    async (req) => {
      const team = await addTeamMember(ctxOf(deps, req), req.params.id, req.params.userId);
      deps.authenticator.forget(`user:${req.params.userId}`); // their actor's teamIds changed
      return { data: team };
    },
  );

  app.delete(
    '/teams/:id/members/:userId',
    {
      schema: {
        tags: ['teams'],
        summary: 'Remove a member from a team (supervisors)',
        params: ZTeamMemberParams,
        response: { 200: ZTeamEnvelope },
      },
    },
    async (req) => {
      const team = await removeTeamMember(ctxOf(deps, req), req.params.id, req.params.userId);
      deps.authenticator.forget(`user:${req.params.userId}`);
      return { data: team };
    },
  );
}
