import { z } from 'zod';
import { envelope, ZPageInfo, ZPageQuery } from './common';

// API contracts of the notifications module: what the workspace's bell lists (docs/inbox.md#notifications).

export const NOTIFICATION_KINDS = ['mention', 'assignment'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const ZNotification = z.object({
  id: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  conversationId: z.string(),
  conversation: z.object({ id: z.string(), number: z.number().int(), subject: z.string().nullable() }),
  /** The note that mentioned (mentions); null for assignments. */
  messageId: z.string().nullable(),
  /** Who did it: a user, an API key, automation or the system (routing). */
  actor: z.object({ kind: z.string(), id: z.string().nullable() }),
  /** The start of the note (mentions); null for assignments. */
  preview: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Notification = z.infer<typeof ZNotification>;

export const ZListNotificationsQuery = ZPageQuery.extend({ unread: z.enum(['true', 'false']).optional() });
export type ListNotificationsQuery = z.infer<typeof ZListNotificationsQuery>;
/** Newest first; `unreadCount` counts all of the caller's unread notifications (the bell's badge). */
export const ZNotificationPage = z.object({ data: z.array(ZNotification), page: ZPageInfo, unreadCount: z.number().int() });

export const ZMarkNotificationsReadBody = z
  .object({ ids: z.array(z.uuid()).min(1).max(100).optional(), all: z.literal(true).optional() })
  .refine((b) => (b.ids === undefined) !== (b.all === undefined), { message: 'Pass either ids or all: true', path: ['ids'] });
export type MarkNotificationsReadBody = z.infer<typeof ZMarkNotificationsReadBody>;
export const ZMarkNotificationsReadEnvelope = envelope(z.object({ updated: z.number().int(), unreadCount: z.number().int() }));
