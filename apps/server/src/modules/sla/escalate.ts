import { CONVERSATION_PRIORITIES, type ConversationPriority, type SlaEscalation } from '@touchpoint/shared';
import { and, eq } from 'drizzle-orm';
import { conversations } from '../../db/schema';
import type { Ctx } from '../../platform/context';
import { read } from '../../platform/tx';
import { assignConversation, setConversationTags, updateConversation } from '../conversations';

const rank = (p: string) => CONVERSATION_PRIORITIES.indexOf(p as ConversationPriority);

/**
 * A breach's escalation actions, each through the conversations module's command as the system actor, so they
 * emit the usual events. Each is idempotent: priority only ever goes up, the team and the tag are set once.
 */
export async function escalate(ctx: Ctx, conversationId: string, e: SlaEscalation): Promise<void> {
  const [conv] = await read(ctx, (tx) =>
    tx
      .select({ priority: conversations.priority, teamId: conversations.teamId, tags: conversations.tags })
      .from(conversations)
      .where(and(eq(conversations.accountId, ctx.accountId), eq(conversations.id, conversationId))),
  );
  if (!conv) return;
  if (e.raisePriorityTo && rank(e.raisePriorityTo) > rank(conv.priority))
    await updateConversation(ctx, { conversationId, priority: e.raisePriorityTo });
  if (e.reassignTeamId && conv.teamId !== e.reassignTeamId) await assignConversation(ctx, { conversationId, teamId: e.reassignTeamId });
  if (e.addTag && !conv.tags.includes(e.addTag)) await setConversationTags(ctx, { conversationId, tags: [...conv.tags, e.addTag] });
}
