import type { Tx } from '../../../db/client';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { emit } from '../../../platform/events';
import { checkAssignee, checkTeam } from '../assignment-rules';
import { conversationPolicy } from '../policy';
import { lockConversation } from '../queries';
import { presentConversation, type ConversationRow } from '../presenters';
import { saveConversation } from './save-conversation';

/**
 * Assigns inside a transaction the caller already holds (the router assigns in the same transaction that
 * reserves the agent's capacity). Same checks and `conversation.assigned` event as `assignConversation`.
 */
export async function assignInTransaction(
  tx: Tx,
  ctx: Ctx,
  conversationId: string,
  assigneeId: string | null,
  opts: {
    teamId?: string | null;
    /**
     * The row the caller already locked FOR UPDATE in this transaction, with an assignee it picked among the
     * account's active members (the router): the lock and the assignee check are not repeated.
     */
    lockedWithMemberAssignee?: ConversationRow;
    /** The routing engine made this assignment and already accounted the agent's load (listeners may skip it). */
    routed?: boolean;
  } = {},
): Promise<ConversationRow> {
  const locked = opts.lockedWithMemberAssignee;
  const conv = locked?.id === conversationId ? locked : await lockConversation(tx, ctx.accountId, conversationId);
  authorize(ctx.actor, conversationPolicy, 'assign', conv);
  if (assigneeId && conv !== locked) await checkAssignee(tx, ctx.accountId, assigneeId);
  if (opts.teamId && opts.teamId !== conv.teamId) await checkTeam(tx, ctx.accountId, opts.teamId);
  const teamId = opts.teamId === undefined ? conv.teamId : opts.teamId;
  if (assigneeId === conv.assigneeId && teamId === conv.teamId) return conv;
  const saved = await saveConversation(tx, conv, { assigneeId, teamId });
  await emit(tx, ctx, {
    type: 'conversation.assigned',
    conversationId: saved.id,
    customerId: saved.customerId,
    payload: {
      conversation: presentConversation(saved),
      previous: { assigneeId: conv.assigneeId, teamId: conv.teamId },
      assigneeId,
      teamId,
      ...(opts.routed ? { routed: true } : {}),
    },
  });
  return saved;
}
