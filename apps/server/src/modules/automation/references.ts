import { unknownTemplateVariables } from '@touchpoint/shared';
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { macros, memberships, teams } from '../../db/schema';
import { AppError, invalid } from '../../platform/errors';

/** Unknown `{{variables}}` are a mistake to catch when saving, not something to send to a customer. */
export function checkTemplate(path: string, body: string): void {
  const unknown = unknownTemplateVariables(body);
  if (unknown.length > 0) {
    const message = `Unknown template variables: ${unknown.map((v) => `{{${v}}}`).join(', ')}`;
    throw new AppError('validation_failed', message, { errors: [{ path, message }], unknownVariables: unknown });
  }
}

export async function checkTeamExists(tx: Tx, accountId: string, teamId: string, path: string): Promise<void> {
  const [t] = await tx
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.accountId, accountId), eq(teams.id, teamId)));
  if (!t) throw invalid(path, 'The team does not exist in this account');
}

export async function checkAgentExists(tx: Tx, accountId: string, userId: string, path: string): Promise<void> {
  const [m] = await tx
    .select({ role: memberships.role, active: memberships.active })
    .from(memberships)
    .where(and(eq(memberships.accountId, accountId), eq(memberships.userId, userId)));
  if (!m || !m.active || m.role === 'analyst') throw invalid(path, 'The agent is not an active member who can take conversations');
}

export async function checkSharedMacro(tx: Tx, accountId: string, macroId: string, path: string): Promise<void> {
  const [m] = await tx
    .select({ visibility: macros.visibility })
    .from(macros)
    .where(and(eq(macros.accountId, accountId), eq(macros.id, macroId)));
  if (!m || m.visibility !== 'shared') throw invalid(path, 'Rules can only apply an existing shared macro');
}
