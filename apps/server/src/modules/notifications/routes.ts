import { ZListNotificationsQuery, ZMarkNotificationsReadBody, ZMarkNotificationsReadEnvelope, ZNotificationPage } from '@touchpoint/shared';
import { ctxOf } from '../../platform/http/auth';
import type { App, AppDeps } from '../../platform/module';
import { read } from '../../platform/tx';
import { markNotificationsRead } from './commands/mark-notifications-read';
import { personOf } from './person';
import { listNotifications, unreadCount } from './queries';

const tags = ['notifications'];

export function registerNotificationRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/notifications',
    {
      schema: {
        tags,
        summary: 'My notifications (mentions, assignments), newest first, with the unread count',
        querystring: ZListNotificationsQuery,
        response: { 200: ZNotificationPage },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      const userId = personOf(ctx);
      return read(ctx, async (tx) => ({
        ...(await listNotifications(tx, ctx.accountId, userId, req.query)),
        unreadCount: await unreadCount(tx, ctx.accountId, userId),
      }));
    },
  );

  app.post(
    '/notifications/read',
    {
      schema: {
        tags,
        summary: 'Mark some (ids) or all of my notifications read',
        body: ZMarkNotificationsReadBody,
        response: { 200: ZMarkNotificationsReadEnvelope },
      },
    },
    async (req) => ({ data: await markNotificationsRead(ctxOf(deps, req), req.body) }),
  );
}
