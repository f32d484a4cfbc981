import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { checkAssignee, checkTeam } from '../assignment-rules';
import { conversationPolicy } from '../policy';
import { lockConversation } from '../queries';
import { presentConversation, type ConversationRow } from '../presenters';
import { saveConversation } from './save-conversation';

export interface AssignInput {
  conversationId: string;
  /** A user id, null to unassign, undefined to leave as is. */
  assigneeId?: string | null;
  teamId?: string | null;
}

/** Assigns to an agent and/or a team. Emits `conversation.assigned` with the previous and the new values. */
export async function assignConversation(ctx: Ctx, input: AssignInput): Promise<ConversationRow> {
  return command(ctx, async (tx) => {
    const conv = await lockConversation(tx, ctx.accountId, input.conversationId);
    authorize(ctx.actor, conversationPolicy, 'assign', conv);
    if (input.assigneeId) await checkAssignee(tx, ctx.accountId, input.assigneeId);
    if (input.teamId) await checkTeam(tx, ctx.accountId, input.teamId);
    const assigneeId = input.assigneeId === undefined ? conv.assigneeId : input.assigneeId;
    const teamId = input.teamId === undefined ? conv.teamId : input.teamId;
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
      },
    });
    return saved;
  });
}
