import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { channels, teams } from '../../db/schema';
import { invalid } from '../../platform/errors';

/** Team and channel ids named in a body must exist in the account (another tenant's id reads as unknown). */
export async function assertReferences(tx: Tx, accountId: string, refs: { teamIds?: string[]; channelIds?: string[]; teamPath?: string }) {
  const teamIds = [...new Set(refs.teamIds ?? [])];
  if (teamIds.length > 0) {
    const found = await tx
      .select({ id: teams.id })
      .from(teams)
      .where(and(eq(teams.accountId, accountId), inArray(teams.id, teamIds)));
    const missing = teamIds.find((id) => !found.some((f) => f.id === id));
    if (missing) throw invalid(refs.teamPath ?? 'body.teamIds', `Team ${missing} does not exist`);
  }
  const channelIds = [...new Set(refs.channelIds ?? [])];
  if (channelIds.length > 0) {
    const found = await tx
      .select({ id: channels.id })
      .from(channels)
      .where(and(eq(channels.accountId, accountId), inArray(channels.id, channelIds)));
    const missing = channelIds.find((id) => !found.some((f) => f.id === id));
    if (missing) throw invalid('body.channelIds', `Channel ${missing} does not exist`);
  }
}
