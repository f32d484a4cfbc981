import { and, desc, eq, isNull, ne, or } from 'drizzle-orm';
import { channels, conversations, messages, webchatReadMarkers } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { applyDeliveryStatus, conversationPolicy, getConversation, lockMessage } from '../../conversations';
import type { VisitorRow } from '../queries';

/** How many unread replies one "seen" marks at most: a chat window shows the latest ones. */
const READ_BATCH = 100;

/**
 * The visitor has the chat open and visible: every agent or bot reply of their conversations on the channel not yet
 * `read` becomes `read` through the shared delivery-status machinery, which emits `message.delivery_status_changed`
 * so the agent's thread shows it. Idempotent: a second call finds nothing to move. Returns how many moved.
 */
export async function markReadByVisitor(base: Pick<Ctx, 'db' | 'events' | 'requestId'>, v: VisitorRow): Promise<number> {
  const ctx: Ctx = {
    ...base,
    accountId: v.accountId,
    actor: { kind: 'customer', customerId: v.customerId, accountId: v.accountId, channelId: v.channelId },
  };
  return command(ctx, async (tx) => {
    const unread = await tx
      .select({ id: messages.id })
      .from(messages)
      .innerJoin(conversations, and(eq(conversations.accountId, messages.accountId), eq(conversations.id, messages.conversationId)))
      .where(
        and(
          eq(messages.accountId, v.accountId),
          eq(conversations.customerId, v.customerId),
          eq(conversations.channelId, v.channelId),
          eq(messages.kind, 'outgoing'),
          or(isNull(messages.deliveryStatus), ne(messages.deliveryStatus, 'read')),
        ),
      )
      .orderBy(desc(messages.createdAt), desc(messages.id))
      .limit(READ_BATCH);
    let moved = 0;
    for (const { id } of unread) {
      const message = await lockMessage(tx, v.accountId, id);
      if (message && (await applyDeliveryStatus(tx, ctx, message, { status: 'read' })).changed) moved++;
    }
    return moved;
  });
}

/**
 * An agent opened a web conversation in the workspace: records that they read it (the visitor's "Seen"), but only
 * when the customer wrote since the last marker, so re-opening a read thread writes and pushes nothing. Emits
 * `conversation.read`, which reaches the visitor's sockets through the realtime hub. Other channels: null.
 */
export async function recordAgentRead(ctx: Ctx, conversationId: string): Promise<{ agentReadAt: Date } | null> {
  return command(ctx, async (tx) => {
    const { conversation } = await getConversation(tx, ctx.accountId, conversationId);
    authorize(ctx.actor, conversationPolicy, 'read', conversation);
    const [channel] = await tx
      .select({ kind: channels.kind })
      .from(channels)
      .where(and(eq(channels.accountId, ctx.accountId), eq(channels.id, conversation.channelId)));
    if (channel?.kind !== 'web') return null;
    const [marker] = await tx
      .select()
      .from(webchatReadMarkers)
      .where(and(eq(webchatReadMarkers.accountId, ctx.accountId), eq(webchatReadMarkers.conversationId, conversation.id)))
      .for('update');
    const [latest] = await tx
      .select({ createdAt: messages.createdAt })
      .from(messages)
      .where(and(eq(messages.accountId, ctx.accountId), eq(messages.conversationId, conversation.id), eq(messages.kind, 'incoming')))
      .orderBy(desc(messages.createdAt))
      .limit(1);
    if (!latest || (marker && marker.agentReadAt >= latest.createdAt)) return marker ? { agentReadAt: marker.agentReadAt } : null;
    // Never before the message it acknowledges, even with a node whose clock is a little behind the writer's.
    const now = new Date();
    const agentReadAt = now > latest.createdAt ? now : latest.createdAt;
    const agentUserId = ctx.actor.kind === 'user' ? ctx.actor.userId : null;
    await tx
      .insert(webchatReadMarkers)
      .values({ accountId: ctx.accountId, conversationId: conversation.id, agentReadAt, agentUserId })
      .onConflictDoUpdate({ target: [webchatReadMarkers.accountId, webchatReadMarkers.conversationId], set: { agentReadAt, agentUserId } });
    await emit(tx, ctx, {
      type: 'conversation.read',
      conversationId: conversation.id,
      customerId: conversation.customerId,
      payload: { conversationId: conversation.id, channelId: conversation.channelId, agentReadAt: agentReadAt.toISOString(), agentUserId },
    });
    return { agentReadAt };
  });
}
