import type { Ctx } from '../../../platform/context';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { assignInTransaction } from '../../conversations';

/**
 * Hands a conversation (back) to the routing engine: a transfer, an escalation or an automation's `route`
 * action. Unassigns it (optionally moving it to a team) and emits `routing.requested`; the routing listener then
 * decides, assigning the best agent or queueing it, with the decision recorded like any other.
 */
export async function requestRouting(ctx: Ctx, conversationId: string, opts: { teamId?: string } = {}): Promise<void> {
  await command(ctx, async (tx) => {
    // Locks the conversation, authorizes `assign`, checks the team; a no-op when nothing changes.
    const conv = await assignInTransaction(tx, ctx, { conversationId, assigneeId: null, ...(opts.teamId ? { teamId: opts.teamId } : {}) });
    await emit(tx, ctx, {
      type: 'routing.requested',
      conversationId: conv.id,
      customerId: conv.customerId,
      payload: { teamId: conv.teamId },
    });
  });
}
