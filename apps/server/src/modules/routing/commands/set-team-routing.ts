import type { TeamRouting } from '@touchpoint/shared';
import { z } from 'zod';
import { ZTeamRoutingBody } from '@touchpoint/shared';
import { teamRoutingSettings } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { checkTeamExists } from '../queries';
import { teamSettings } from '../engine/loads';
import { routingPolicy } from '../policy';

/** Capacity weights, max load, policy, offers and offline conversations of a team; unspecified fields keep their value. */
export async function setTeamRouting(ctx: Ctx, teamId: string, input: z.infer<typeof ZTeamRoutingBody>): Promise<TeamRouting> {
  return command(ctx, async (tx) => {
    await checkTeamExists(tx, ctx.accountId, teamId);
    authorize(ctx.actor, routingPolicy, 'manage_routing', ctx.accountId);
    const current = await teamSettings(tx, ctx.accountId, teamId);
    const next = {
      weights: { ...current.weights, ...input.weights },
      maxLoad: input.maxLoad ?? current.maxLoad,
      policy: input.policy ?? current.policy,
      offerTimeoutSeconds: input.offerTimeoutSeconds === undefined ? current.offerTimeoutSeconds : input.offerTimeoutSeconds,
      offlineConversations: { ...current.offlineConversations, ...input.offlineConversations },
    };
    const { offlineConversations, ...columns } = next;
    const row = { ...columns, offlineMode: offlineConversations.mode, offlineGraceMinutes: offlineConversations.graceMinutes };
    await tx
      .insert(teamRoutingSettings)
      .values({ accountId: ctx.accountId, teamId, ...row })
      .onConflictDoUpdate({ target: [teamRoutingSettings.accountId, teamRoutingSettings.teamId], set: row });
    const settings = { teamId, ...next } as TeamRouting;
    await emit(tx, ctx, { type: 'routing.team_settings_changed', payload: { settings } });
    return settings;
  });
}
