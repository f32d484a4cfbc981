import type { FastifyReply } from 'fastify';
import { and, eq, isNull } from 'drizzle-orm';
import type { Config } from '../../config';
import type { Tx } from '../../db/client';
import { sessions } from '../../db/schema';
import { hashToken, newToken, SESSION_COOKIE } from '../../platform/http/tokens';

export interface SessionClient {
  ip?: string | null;
  userAgent?: string | null;
}

export const DEFAULT_SESSION_TTL_HOURS = 24 * 14;

/** Stores only the token's hash: a leaked sessions table does not log anyone in. */
export async function startSession(
  tx: Tx,
  input: { userId: string; accountId: string; ttlHours?: number; client?: SessionClient },
): Promise<string> {
  const token = newToken();
  const ttlMs = (input.ttlHours ?? DEFAULT_SESSION_TTL_HOURS) * 3_600_000;
  await tx.insert(sessions).values({
    tokenHash: hashToken(token),
    userId: input.userId,
    accountId: input.accountId,
    ip: input.client?.ip ?? null,
    userAgent: input.client?.userAgent?.slice(0, 500) ?? null,
    expiresAt: new Date(Date.now() + ttlMs),
  });
  return token;
}

export async function revokeSession(tx: Tx, accountId: string, token: string): Promise<void> {
  await tx
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.accountId, accountId), eq(sessions.tokenHash, hashToken(token)), isNull(sessions.revokedAt)));
}

function cookieSecure(config: Config): boolean {
  return config.COOKIE_SECURE === 'true' || (config.COOKIE_SECURE === 'auto' && config.NODE_ENV === 'production');
}

export function setSessionCookie(reply: FastifyReply, config: Config, token: string): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: cookieSecure(config),
    path: '/',
    maxAge: config.SESSION_TTL_HOURS * 3600,
  });
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  void reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: cookieSecure(config), path: '/' });
}
