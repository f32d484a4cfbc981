import type { Tx } from '../../../db/client';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { checkAssignee, checkTeam } from '../assignment-rules';
import { conversationPolicy } from '../policy';
import { lockConversation } from '../queries';
import { presentConversation, type ConversationRow } from '../presenters';
import { saveConversation } from '../save-conversation';

export interface AssignInput {
  conversationId: string;
  /** A user id, null to unassign, undefined to leave as is. */
  assigneeId?: string | null;
  /** A team id, null to take it out of its team, undefined to leave as is. */
  teamId?: string | null;
}

export interface AssignOptions {
  /**
   * The row the caller already locked FOR UPDATE in this transaction, with an assignee it picked among the
   * account's active members (the router): the lock and the assignee check are not repeated.
   */
  lockedWithMemberAssignee?: ConversationRow;
  /** The routing engine made this assignment and already accounted the agent's load (listeners may skip it). */
  routed?: boolean;
}

/** Assigns to an agent and/or a team. Emits `conversation.assigned` with the previous and the new values. */
export function assignConversation(ctx: Ctx, input: AssignInput): Promise<ConversationRow> {
  return command(ctx, (tx) => assignInTransaction(tx, ctx, input));
}

/**
 * The one assignment path, inside a transaction the caller holds (the router assigns in the same transaction that
 * reserves the agent's capacity; the API through assignConversation). The assignee must be an active member and
 * the team one of the account's, whenever either changes; nothing changes, nothing is emitted.
 */
export async function assignInTransaction(tx: Tx, ctx: Ctx, input: AssignInput, opts: AssignOptions = {}): Promise<ConversationRow> {
  const locked = opts.lockedWithMemberAssignee;
  const conv = locked?.id === input.conversationId ? locked : await lockConversation(tx, ctx.accountId, input.conversationId);
  authorize(ctx.actor, conversationPolicy, 'assign', conv);
  const assigneeId = input.assigneeId === undefined ? conv.assigneeId : input.assigneeId;
  const teamId = input.teamId === undefined ? conv.teamId : input.teamId;
  if (assigneeId && assigneeId !== conv.assigneeId && conv !== locked) await checkAssignee(tx, ctx.accountId, assigneeId);
  if (teamId && teamId !== conv.teamId) await checkTeam(tx, ctx.accountId, teamId);
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
