import type { PresenceSource, PresenceState } from '@touchpoint/shared';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { command } from '../../../platform/tx';
import { routingPolicy } from '../policy';
import { changePresence, type PresenceChange, type PresenceScheduler } from '../presence';

/**
 * Sets the caller's own state. `schedule` writes the jobs the change calls for in the same transaction (the
 * routing module passes one that returns conversations to the queue after a team's grace period; see jobs.ts).
 */
export async function setPresence(
  ctx: Ctx,
  state: PresenceState,
  opts: { source?: PresenceSource; schedule?: PresenceScheduler } = {},
): Promise<PresenceChange> {
  return command(ctx, async (tx) => {
    authorize(ctx.actor, routingPolicy, 'set_own_presence', ctx.accountId);
    if (ctx.actor.kind !== 'user') throw new Error('unreachable: policy admits only users');
    return changePresence(tx, ctx, ctx.actor.userId, state, opts.source ?? 'manual', opts.schedule);
  });
}
