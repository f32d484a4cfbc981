import { notifications } from '../../db/schema';
import { emit, type StoredEvent } from '../../platform/events';
import type { Ctx } from '../../platform/context';
import type { AppDeps } from '../../platform/module';
import { command } from '../../platform/tx';
import { presentNotification } from './presenters';

type Source = StoredEvent<'conversation.mentioned' | 'conversation.assigned'>;

/** Who the event notifies and of what; null when nobody (an assignment to oneself, an unassignment). */
function notificationOf(e: Source) {
  if (e.type === 'conversation.mentioned') {
    const p = e.payload;
    return {
      userId: p.mentionedUserId,
      kind: 'mention' as const,
      messageId: p.messageId,
      preview: p.preview,
      conversation: p.conversation,
    };
  }
  const p = e.payload;
  if (!p.assigneeId || p.assigneeId === p.previous.assigneeId) return null;
  if (e.actorKind === 'user' && e.actorId === p.assigneeId) return null;
  return { userId: p.assigneeId, kind: 'assignment' as const, messageId: null, preview: null, conversation: p.conversation };
}

/**
 * Writes the notification an event calls for, once (the source event's id is unique per person: a re-run writes
 * nothing), and emits `notification.created` for the person's open workspaces.
 */
export async function recordNotification(ctx: Ctx, event: Source): Promise<void> {
  const n = notificationOf(event);
  if (!n) return;
  await command(ctx, async (tx) => {
    const [row] = await tx
      .insert(notifications)
      .values({
        // The event's id: one notification per event, and the list's order (ids are time-ordered) is the events' order
        // whichever listener job ran first.
        id: event.id,
        accountId: event.accountId,
        userId: n.userId,
        kind: n.kind,
        conversationId: n.conversation.id,
        messageId: n.messageId,
        actorKind: event.actorKind,
        actorId: event.actorId,
        preview: n.preview,
        sourceEventId: event.id,
        createdAt: event.createdAt,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) return;
    // No conversationId: the conversation's followers must not get someone else's notification.
    await emit(tx, ctx, {
      type: 'notification.created',
      payload: { userId: n.userId, notification: presentNotification(row, n.conversation) },
    });
  });
}

/** The bell: a notification for each mention, and for each assignment to someone else than who made it. */
export function registerNotificationListeners(deps: Pick<AppDeps, 'events'>): void {
  deps.events.on(
    'notifications.record',
    ['conversation.mentioned', 'conversation.assigned'],
    (event, ctx) => recordNotification(ctx, event),
    {
      when: (e) => notificationOf(e) !== null,
    },
  );
}
