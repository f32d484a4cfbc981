import { ZAuthEnvelope, ZAuthOptionsEnvelope, ZLoginBody, ZSignUpBody } from '@touchpoint/shared';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ctxOf, noStore } from '../../../platform/http/auth';
import { AppError } from '../../../platform/errors';
import type { App, AppDeps } from '../../../platform/module';
import { logIn } from '../commands/log-in';
import { logOut } from '../commands/log-out';
import { signUp } from '../commands/sign-up';
import { clearSessionCookie, setSessionCookie } from '../sessions';

/**
 * Per-IP limit on the unauthenticated, argon2-hashing routes: slows password guessing across many emails
 * (the per-person lockout covers guessing one) and keeps sign-up from being used to burn CPU.
 */
export const AUTH_RATE_LIMIT = { max: 20, timeWindow: '1 minute', keyGenerator: (req: FastifyRequest) => `auth:${req.ip}` };

export const clientOf = (req: FastifyRequest) => ({ ip: req.ip, userAgent: req.headers['user-agent'] ?? null });

export function registerAuthRoutes(app: App, deps: AppDeps): void {
  const { config } = deps;
  const signupOpen = config.SIGNUP === 'on';

  app.get(
    '/auth/options',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'What the login page offers before anyone signs in: may visitors sign up (SIGNUP)?',
        security: [],
        response: { 200: ZAuthOptionsEnvelope },
      },
    },
    async () => ({ data: { signup: signupOpen } }),
  );

  app.post(
    '/auth/signup',
    {
      config: { auth: 'public', rateLimit: AUTH_RATE_LIMIT },
      schema: {
        tags: ['auth'],
        summary: 'Create an account and its owner, and log in (403 signup_disabled when SIGNUP=off)',
        security: [],
        body: ZSignUpBody,
        response: { 201: ZAuthEnvelope },
      },
      // Before the body is even read: with sign-up off, no input gets any other answer (but the rate limit's).
      onRequest: async () => {
        if (!signupOpen)
          throw new AppError(
            'signup_disabled',
            'Sign-up is turned off on this server: ask an admin of your team for an invitation (operators create accounts with touchpoint create-account)',
          );
      },
    },
    async (req, reply) => {
      const { sessionToken, ...data } = await signUp(deps.database.db, deps.events, {
        ...req.body,
        sessionTtlHours: config.SESSION_TTL_HOURS,
        client: clientOf(req),
      });
      setSessionCookie(reply, config, sessionToken);
      noStore(reply);
      return reply.status(201).send({ data });
    },
  );

  app.post(
    '/auth/login',
    {
      config: { auth: 'public', rateLimit: AUTH_RATE_LIMIT },
      schema: {
        tags: ['auth'],
        summary: 'Log in with email and password (sets the session cookie)',
        security: [],
        body: ZLoginBody,
        response: { 200: ZAuthEnvelope },
      },
    },
    async (req, reply) => {
      const policy = {
        maxAttempts: config.LOGIN_MAX_ATTEMPTS,
        lockoutMinutes: config.LOGIN_LOCKOUT_MINUTES,
        sessionTtlHours: config.SESSION_TTL_HOURS,
      };
      const { sessionToken, ...data } = await logIn(deps.database.db, policy, { ...req.body, client: clientOf(req) });
      setSessionCookie(reply, config, sessionToken);
      noStore(reply);
      return { data };
    },
  );

  app.post(
    '/auth/logout',
    { schema: { tags: ['auth'], summary: 'Log out: revoke this session and clear its cookie', response: { 204: z.null() } } },
    async (req, reply) => {
      const ctx = ctxOf(deps, req);
      if (req.sessionToken) {
        await logOut(ctx, req.sessionToken);
        deps.authenticator.forget(req.sessionToken);
      }
      clearSessionCookie(reply, config);
      return reply.status(204).send(null);
    },
  );
}
