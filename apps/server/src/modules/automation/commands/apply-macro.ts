import { renderTemplate, normalizeTags, type MacroActions } from '@touchpoint/shared';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { read } from '../../../platform/tx';
import {
  assignConversation,
  changeConversationStatus,
  createMessage,
  getConversation,
  setConversationTags,
  updateConversation,
  type ConversationRow,
  type MessageRow,
} from '../../conversations';
import { getVisibleMacro } from '../macro-queries';
import { macroPolicy } from '../policy';
import type { MacroRow } from '../presenters';
import { templateValuesFor } from '../template-values';

/** The macro's reply rendered for a conversation, changing nothing. */
export async function renderMacroFor(ctx: Ctx, macro: MacroRow, conversationId: string): Promise<string> {
  return read(ctx, async (tx) => {
    const { conversation } = await getConversation(tx, ctx.accountId, conversationId);
    return renderTemplate(macro.body, await templateValuesFor(tx, ctx.actor, conversation));
  });
}

export async function previewMacro(ctx: Ctx, macroId: string, conversationId: string) {
  const macro = await read(ctx, (tx) => getVisibleMacro(tx, ctx.actor, macroId));
  return { body: await renderMacroFor(ctx, macro, conversationId), actions: macro.actions as MacroActions };
}

/**
 * Sends the rendered reply and applies the macro's actions, each through the conversations commands (so each
 * is authorized, evented and visible in realtime like a person doing it by hand). Not one transaction: the
 * reply is sent first, and an action that fails (a team deleted since) leaves the reply sent.
 */
export async function applyMacroRow(
  ctx: Ctx,
  macro: MacroRow,
  conversationId: string,
  opts: { clientMessageId?: string } = {},
): Promise<{ message: MessageRow; conversation: ConversationRow }> {
  const body = await renderMacroFor(ctx, macro, conversationId);
  const sent = await createMessage(ctx, { conversationId, body, kind: 'outgoing', clientMessageId: opts.clientMessageId });
  let conversation = sent.conversation;
  const actions = macro.actions as MacroActions;
  if (actions.priority) conversation = await updateConversation(ctx, { conversationId, priority: actions.priority });
  if (actions.addTags) {
    const tags = normalizeTags([...conversation.tags, ...actions.addTags]);
    conversation = await setConversationTags(ctx, { conversationId, tags });
  }
  if (actions.teamId) conversation = await assignConversation(ctx, { conversationId, teamId: actions.teamId });
  if (actions.status) conversation = await changeConversationStatus(ctx, { conversationId, status: actions.status });
  return { message: sent.message, conversation };
}

/** A person (or API key) applying a macro they may use to a conversation. */
export async function applyMacro(ctx: Ctx, input: { macroId: string; conversationId: string }) {
  const macro = await read(ctx, async (tx) => {
    // The conversation first: an unknown conversation is a 404 whatever the macro.
    await getConversation(tx, ctx.accountId, input.conversationId);
    return getVisibleMacro(tx, ctx.actor, input.macroId);
  });
  authorize(ctx.actor, macroPolicy, 'apply', macro);
  return applyMacroRow(ctx, macro, input.conversationId);
}
