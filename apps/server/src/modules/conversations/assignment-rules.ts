import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { memberships, teams } from '../../db/schema';
import { invalid } from '../../platform/errors';

/** An assignee must be an active member of the account who can work conversations (analysts only read). */
export async function checkAssignee(tx: Tx, accountId: string, userId: string): Promise<void> {
  const [m] = await tx
    .select({ role: memberships.role, active: memberships.active })
    .from(memberships)
    .where(and(eq(memberships.accountId, accountId), eq(memberships.userId, userId)));
  if (!m || !m.active) throw invalid('assigneeId', 'The assignee is not an active member of this account');
  if (m.role === 'analyst') throw invalid('assigneeId', 'Analysts cannot be assigned conversations');
}

export async function checkTeam(tx: Tx, accountId: string, teamId: string): Promise<void> {
  const [t] = await tx
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.accountId, accountId), eq(teams.id, teamId)));
  if (!t) throw invalid('teamId', 'The team does not exist in this account');
}
