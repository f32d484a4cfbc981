import type { MarkNotificationsReadBody } from '@touchpoint/shared';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { notifications } from '../../../db/schema';
import type { Ctx } from '../../../platform/context';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { personOf } from '../person';
import { unreadCount } from '../queries';

/**
 * Marks some (`ids`) or all of the caller's notifications read; ids that are not the caller's unread notifications
 * are skipped. Emits `notification.read` (to `user:<id>`, so the caller's other tabs update the badge) when it
 * changed something.
 */
export async function markNotificationsRead(ctx: Ctx, body: MarkNotificationsReadBody): Promise<{ updated: number; unreadCount: number }> {
  const userId = personOf(ctx);
  return command(ctx, async (tx) => {
    const updated = await tx
      .update(notifications)
      .set({ readAt: new Date() })
      .where(
        and(
          eq(notifications.accountId, ctx.accountId),
          eq(notifications.userId, userId),
          isNull(notifications.readAt),
          body.ids ? inArray(notifications.id, body.ids) : undefined,
        ),
      )
      .returning({ id: notifications.id });
    const unread = await unreadCount(tx, ctx.accountId, userId);
    if (updated.length > 0) {
      await emit(tx, ctx, {
        type: 'notification.read',
        payload: { userId, ids: body.all ? null : updated.map((r) => r.id), unreadCount: unread },
      });
    }
    return { updated: updated.length, unreadCount: unread };
  });
}
