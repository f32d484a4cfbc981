import { changeStatus, snoozeProblem, type ConversationStatus } from '@touchpoint/shared';
import type { Tx } from '../../../db/client';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { invalid } from '../../../platform/errors';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { conversationPolicy } from '../policy';
import { lockConversation } from '../queries';
import { presentConversation, stateOf, type ConversationRow } from '../presenters';
import { saveConversation } from '../save-conversation';

export interface ChangeStatusInput {
  conversationId: string;
  status: ConversationStatus;
  /** Required for `snoozed`: in the future, at most a year ahead. */
  snoozedUntil?: Date;
}

/**
 * Applies a status change to a locked conversation and emits `conversation.status_changed` (and
 * `conversation.snoozed`, whose listener schedules the wake-up). Shared by the command and the snooze job.
 */
export async function applyStatus(
  tx: Tx,
  ctx: Ctx,
  conv: ConversationRow,
  to: ConversationStatus,
  opts: { snoozedUntil?: Date; reason?: string } = {},
): Promise<ConversationRow> {
  const at = new Date();
  const before = stateOf(conv);
  const after = changeStatus(before, { to, at, snoozedUntil: opts.snoozedUntil ?? null });
  if (after === before) return conv;
  const saved = await saveConversation(tx, conv, after, at);
  const conversation = presentConversation(saved);
  const ids = { conversationId: saved.id, customerId: saved.customerId };
  if (saved.status !== conv.status) {
    await emit(tx, ctx, {
      type: 'conversation.status_changed',
      ...ids,
      payload: { conversation, from: conv.status, to: saved.status, reason: opts.reason ?? 'manual' },
    });
  }
  if (to === 'snoozed')
    await emit(tx, ctx, { type: 'conversation.snoozed', ...ids, payload: { conversation, until: conversation.snoozedUntil } });
  return saved;
}

/** Open, pending, snoozed (until a time) or resolved; `open` on a resolved conversation is a reopen. */
export async function changeConversationStatus(ctx: Ctx, input: ChangeStatusInput): Promise<ConversationRow> {
  return command(ctx, async (tx) => {
    const conv = await lockConversation(tx, ctx.accountId, input.conversationId);
    authorize(ctx.actor, conversationPolicy, 'change_status', conv);
    if (input.status === 'snoozed') {
      const problem = snoozeProblem(input.snoozedUntil, new Date());
      if (problem) throw invalid('snoozedUntil', problem);
    } else if (input.snoozedUntil) {
      throw invalid('snoozedUntil', 'snoozedUntil only goes with status snoozed');
    }
    return applyStatus(tx, ctx, conv, input.status, { snoozedUntil: input.snoozedUntil });
  });
}
