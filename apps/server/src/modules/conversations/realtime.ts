import { and, eq, sql } from 'drizzle-orm';
import { teamMembers, teams } from '../../db/schema';
import { withTenant } from '../../db/tenant';
import { isAtLeast, isStaff } from '../../platform/authz';
import type { AppDeps } from '../../platform/module';
import { conversationExists } from './queries';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Realtime topics: every event about a conversation goes to `conversation:<id>` and to its team's
 * `team:<id>` (and the previous team's, when it moves, so that inbox drops it). Staff of the account may
 * follow any of its conversations; a team's topic is for its members and supervisors and above.
 */
export function registerRealtimeTopics(deps: Pick<AppDeps, 'database' | 'hub'>): void {
  deps.hub.routeTopics((e) => {
    const topics: string[] = [];
    if (e.conversationId) topics.push(`conversation:${e.conversationId}`);
    const p = e.payload;
    const teamIds = [
      'conversation' in p && p.conversation ? p.conversation.teamId : null,
      e.type === 'conversation.assigned' ? e.payload.previous.teamId : null,
    ];
    for (const teamId of teamIds) if (teamId) topics.push(`team:${teamId}`);
    return topics;
  });

  deps.hub.authorizeTopic('conversation', async (actor, id) => {
    if (!isStaff(actor) || !UUID.test(id)) return false;
    return withTenant(deps.database.db, actor.accountId, (tx) => conversationExists(tx, actor.accountId, id));
  });

  deps.hub.authorizeTopic('team', async (actor, id) => {
    if (!isStaff(actor) || !UUID.test(id)) return false;
    const supervisor = isAtLeast(actor, 'supervisor');
    const userId = actor.kind === 'user' ? actor.userId : null;
    if (!supervisor && !userId) return false;
    return withTenant(deps.database.db, actor.accountId, async (tx) => {
      const [team] = await tx
        .select({ one: sql<number>`1` })
        .from(teams)
        .where(and(eq(teams.accountId, actor.accountId), eq(teams.id, id)));
      if (!team) return false;
      if (supervisor || !userId) return supervisor;
      const [member] = await tx
        .select({ one: sql<number>`1` })
        .from(teamMembers)
        .where(and(eq(teamMembers.accountId, actor.accountId), eq(teamMembers.teamId, id), eq(teamMembers.userId, userId)));
      return !!member;
    });
  });
}
