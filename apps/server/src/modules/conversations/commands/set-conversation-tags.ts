import { diffTags, MAX_TAGS, normalizeTags } from '@touchpoint/shared';
import type { Tx } from '../../../db/client';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { invalid } from '../../../platform/errors';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { conversationPolicy } from '../policy';
import { lockConversation } from '../queries';
import { presentConversation, type ConversationRow } from '../presenters';
import { saveConversation } from '../save-conversation';

/** Writes the tags of a locked conversation (normalised: trimmed, lower-case, deduplicated); emits `conversation.tags_changed`. */
async function applyTags(tx: Tx, ctx: Ctx, conv: ConversationRow, next: string[]): Promise<ConversationRow> {
  authorize(ctx.actor, conversationPolicy, 'tag', conv);
  const tags = normalizeTags(next);
  if (tags.join('\0') === conv.tags.join('\0')) return conv;
  const { added, removed } = diffTags(conv.tags, tags);
  const saved = await saveConversation(tx, conv, { tags });
  await emit(tx, ctx, {
    type: 'conversation.tags_changed',
    conversationId: saved.id,
    customerId: saved.customerId,
    payload: { conversation: presentConversation(saved), added, removed },
  });
  return saved;
}

/** Replaces the tags. Emits `conversation.tags_changed`. */
export async function setConversationTags(ctx: Ctx, input: { conversationId: string; tags: string[] }): Promise<ConversationRow> {
  return command(ctx, async (tx) => applyTags(tx, ctx, await lockConversation(tx, ctx.accountId, input.conversationId), input.tags));
}

/** Adds and/or removes tags, keeping the others (bulk actions): read and written under the row lock. */
export async function editConversationTags(
  ctx: Ctx,
  input: { conversationId: string; add?: string[]; remove?: string[] },
): Promise<ConversationRow> {
  return command(ctx, async (tx) => {
    const conv = await lockConversation(tx, ctx.accountId, input.conversationId);
    authorize(ctx.actor, conversationPolicy, 'tag', conv);
    const remove = new Set(normalizeTags(input.remove ?? []));
    const tags = normalizeTags([...conv.tags, ...(input.add ?? [])]).filter((t) => !remove.has(t));
    // The API's limit (the other callers pass lists the contract already bounds).
    if (tags.length > MAX_TAGS && tags.length > conv.tags.length) throw invalid('tags', `At most ${MAX_TAGS} tags`);
    return applyTags(tx, ctx, conv, tags);
  });
}
