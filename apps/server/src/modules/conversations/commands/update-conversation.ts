import type { ConversationPriority } from '@touchpoint/shared';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { invalid } from '../../../platform/errors';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { conversationPolicy } from '../policy';
import { lockConversation } from '../queries';
import { presentConversation, type ConversationRow } from '../presenters';
import { saveConversation } from '../save-conversation';

export interface UpdateConversationInput {
  conversationId: string;
  subject?: string | null;
  priority?: ConversationPriority;
  /** Merged into the existing attributes; a key set to null is removed. */
  customAttributes?: Record<string, unknown>;
}

const MAX_ATTRIBUTE_KEYS = 100;
const MAX_ATTRIBUTES_BYTES = 16 * 1024;

function mergeAttributes(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const next = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete next[k];
    else next[k] = v;
  }
  if (Object.keys(next).length > MAX_ATTRIBUTE_KEYS) throw invalid('customAttributes', `At most ${MAX_ATTRIBUTE_KEYS} custom attributes`);
  if (Buffer.byteLength(JSON.stringify(next)) > MAX_ATTRIBUTES_BYTES)
    throw invalid('customAttributes', 'Custom attributes are limited to 16 KB');
  return next;
}

/** Subject, priority and custom attributes. Emits `conversation.updated`, and `conversation.priority_changed`. */
export async function updateConversation(ctx: Ctx, input: UpdateConversationInput): Promise<ConversationRow> {
  return command(ctx, async (tx) => {
    const conv = await lockConversation(tx, ctx.accountId, input.conversationId);
    authorize(ctx.actor, conversationPolicy, 'update', conv);
    const changes: Partial<ConversationRow> = {};
    if (input.subject !== undefined && input.subject !== conv.subject) changes.subject = input.subject;
    if (input.priority !== undefined && input.priority !== conv.priority) changes.priority = input.priority;
    if (input.customAttributes !== undefined) {
      const merged = mergeAttributes(conv.customAttributes, input.customAttributes);
      if (JSON.stringify(merged) !== JSON.stringify(conv.customAttributes)) changes.customAttributes = merged;
    }
    if (Object.keys(changes).length === 0) return conv;
    const saved = await saveConversation(tx, conv, changes);
    const conversation = presentConversation(saved);
    const ids = { conversationId: saved.id, customerId: saved.customerId };
    await emit(tx, ctx, { type: 'conversation.updated', ...ids, payload: { conversation, changed: Object.keys(changes) } });
    if (changes.priority) {
      await emit(tx, ctx, {
        type: 'conversation.priority_changed',
        ...ids,
        payload: { conversation, from: conv.priority, to: saved.priority },
      });
    }
    return saved;
  });
}
