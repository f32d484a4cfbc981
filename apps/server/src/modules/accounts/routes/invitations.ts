import {
  ZAcceptInvitationBody,
  ZAuthEnvelope,
  ZCreatedInvitationEnvelope,
  ZCreateInvitationBody,
  ZIdParams,
  ZInvitationPage,
  ZPageQuery,
} from '@touchpoint/shared';
import { z } from 'zod';
import { ctxOf, noStore } from '../../../platform/http/auth';
import type { App, AppDeps } from '../../../platform/module';
import { acceptInvitation } from '../commands/accept-invitation';
import { createInvitation } from '../commands/create-invitation';
import { revokeInvitation } from '../commands/revoke-invitation';
import { listInvitations } from '../list-queries';
import { setSessionCookie } from '../sessions';
import { AUTH_RATE_LIMIT, clientOf } from './auth';

export function registerInvitationRoutes(app: App, deps: AppDeps): void {
  const base = (deps.config.PUBLIC_URL ?? '').replace(/\/+$/, '');

  app.post(
    '/invitations',
    {
      schema: {
        tags: ['invitations'],
        summary: 'Invite a person (admins); the token and acceptUrl are shown once',
        body: ZCreateInvitationBody,
        response: { 201: ZCreatedInvitationEnvelope },
      },
    },
    async (req, reply) => {
      const { invitation, token } = await createInvitation(ctxOf(deps, req), req.body);
      noStore(reply);
      return reply.status(201).send({ data: { invitation, token, acceptUrl: `${base}/invite/${token}` } });
    },
  );

  app.get(
    '/invitations',
    {
      schema: { tags: ['invitations'], summary: 'List invitations (admins)', querystring: ZPageQuery, response: { 200: ZInvitationPage } },
    },
    async (req) => listInvitations(ctxOf(deps, req), req.query),
  );

  app.delete(
    '/invitations/:id',
    { schema: { tags: ['invitations'], summary: 'Revoke a pending invitation (admins)', params: ZIdParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await revokeInvitation(ctxOf(deps, req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/invitations/accept',
    {
      config: { auth: 'public', rateLimit: AUTH_RATE_LIMIT },
      schema: {
        tags: ['invitations'],
        summary: 'Accept an invitation (no login needed): joins the account and logs in',
        security: [],
        body: ZAcceptInvitationBody,
        response: { 201: ZAuthEnvelope },
      },
    },
    async (req, reply) => {
      const { sessionToken, ...data } = await acceptInvitation(deps.database.db, deps.events, {
        ...req.body,
        sessionTtlHours: deps.config.SESSION_TTL_HOURS,
        client: clientOf(req),
      });
      setSessionCookie(reply, deps.config, sessionToken);
      noStore(reply);
      return reply.status(201).send({ data });
    },
  );
}
