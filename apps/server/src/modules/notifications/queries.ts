import type { ListNotificationsQuery } from '@touchpoint/shared';
import { and, count, desc, eq, isNull, lt } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { conversations, notifications } from '../../db/schema';
import { cursorId, toPage } from '../../platform/pagination';
import { presentNotification } from './presenters';

/** A person's notifications, newest first (ids are time-ordered), with the conversation's number and subject. */
export async function listNotifications(tx: Tx, accountId: string, userId: string, q: ListNotificationsQuery) {
  const after = cursorId(q.cursor);
  const rows = await tx
    .select({ n: notifications, c: { id: conversations.id, number: conversations.number, subject: conversations.subject } })
    .from(notifications)
    .innerJoin(conversations, and(eq(conversations.accountId, notifications.accountId), eq(conversations.id, notifications.conversationId)))
    .where(
      and(
        eq(notifications.accountId, accountId),
        eq(notifications.userId, userId),
        q.unread === 'true' ? isNull(notifications.readAt) : undefined,
        after ? lt(notifications.id, after) : undefined,
      ),
    )
    .orderBy(desc(notifications.id))
    .limit(q.limit + 1);
  const { data, page } = toPage(rows, q.limit, (r) => r.n.id);
  return { data: data.map((r) => presentNotification(r.n, r.c)), page };
}

/** The bell's badge (notifications_unread_idx). */
export async function unreadCount(tx: Tx, accountId: string, userId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.accountId, accountId), eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}
