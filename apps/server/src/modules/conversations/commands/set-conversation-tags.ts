import { diffTags, normalizeTags } from '@touchpoint/shared';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { conversationPolicy } from '../policy';
import { lockConversation } from '../queries';
import { presentConversation, type ConversationRow } from '../presenters';
import { saveConversation } from '../save-conversation';

/** Replaces the tags (normalised: trimmed, lower-case, deduplicated). Emits `conversation.tags_changed`. */
export async function setConversationTags(ctx: Ctx, input: { conversationId: string; tags: string[] }): Promise<ConversationRow> {
  return command(ctx, async (tx) => {
    const conv = await lockConversation(tx, ctx.accountId, input.conversationId);
    authorize(ctx.actor, conversationPolicy, 'tag', conv);
    const tags = normalizeTags(input.tags);
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
  });
}
