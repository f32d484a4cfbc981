import type { AppDeps } from '../../platform/module';

/**
 * `user:<id>`: what concerns one person, for that person only: their mentions (`conversation.mentioned`), conversations
 * assigned to or taken from them (`conversation.assigned`), and their notifications (`notification.created`,
 * `notification.read`). Every event also reaches `account:<id>` (the hub's rule), so a client following the account
 * filters these by user id.
 */
export function registerUserTopic(deps: Pick<AppDeps, 'hub'>): void {
  deps.hub.routeTopics((e) => {
    switch (e.type) {
      case 'conversation.mentioned':
        return [`user:${e.payload.mentionedUserId}`];
      case 'conversation.assigned': {
        const { assigneeId, previous } = e.payload;
        if (assigneeId === previous.assigneeId) return [];
        return [assigneeId, previous.assigneeId].filter((id): id is string => id !== null).map((id) => `user:${id}`);
      }
      case 'notification.created':
      case 'notification.read':
        return [`user:${e.payload.userId}`];
      default:
        return [];
    }
  });
  deps.hub.authorizeTopic('user', async (actor, id) => actor.kind === 'user' && actor.userId === id);
}
