import type { BulkConversationsBody, BulkResult } from '@touchpoint/shared';
import type { Ctx } from '../../../platform/context';
import { AppError, invalid } from '../../../platform/errors';
import { read } from '../../../platform/tx';
import { checkAssignee, checkTeam } from '../assignment-rules';
import { assignConversation } from './assign-conversation';
import { changeConversationStatus } from './change-conversation-status';
import { editConversationTags } from './set-conversation-tags';
import { updateConversation } from './update-conversation';

/**
 * One action on many conversations (docs/inbox.md#bulk-actions). What concerns the whole request is checked first
 * (the assignee, the team), so a rejected request changes nothing. Then each conversation goes through the same
 * command as the single action, in a transaction of its own, so events, realtime, automation and SLA react as they
 * do to one change; a conversation that cannot be changed (another account's or unknown id: `not_found`, the role:
 * `forbidden`, a limit: `validation_failed`) is reported and the others are still applied, as Zendesk does. Every
 * action is idempotent (a conversation already in the asked state succeeds), so a request can be retried whole.
 */
export async function bulkUpdateConversations(ctx: Ctx, body: BulkConversationsBody): Promise<BulkResult> {
  let assigneeId = body.assigneeId;
  if (assigneeId === 'me') {
    if (ctx.actor.kind !== 'user') throw invalid('body.assigneeId', "'me' needs a logged-in user; pass a user id");
    assigneeId = ctx.actor.userId;
  }
  const { teamId, tag, priority } = body;
  await read(ctx, async (tx) => {
    if (assigneeId) await checkAssignee(tx, ctx.accountId, assigneeId).catch(rename('body.assigneeId'));
    if (teamId) await checkTeam(tx, ctx.accountId, teamId).catch(rename('body.teamId'));
  });
  const apply = (conversationId: string): Promise<unknown> => {
    switch (body.action) {
      case 'assign':
        return assignConversation(ctx, { conversationId, assigneeId, teamId });
      case 'unassign':
        return assignConversation(ctx, { conversationId, assigneeId: null });
      case 'tag':
        return editConversationTags(ctx, { conversationId, add: [tag!] });
      case 'untag':
        return editConversationTags(ctx, { conversationId, remove: [tag!] });
      case 'resolve':
        return changeConversationStatus(ctx, { conversationId, status: 'resolved' });
      case 'reopen':
        return changeConversationStatus(ctx, { conversationId, status: 'open' });
      case 'set_priority':
        return updateConversation(ctx, { conversationId, priority: priority! });
    }
  };
  const result: BulkResult = { succeeded: [], failed: [] };
  for (const id of body.ids) {
    try {
      await apply(id);
      result.succeeded.push(id);
    } catch (err) {
      // Anything else is a bug: the request fails (500) and can be retried, the rows done so far staying done.
      if (!(err instanceof AppError)) throw err;
      result.failed.push({ id, code: err.code, detail: err.message });
    }
  }
  return result;
}

/** The request-level checks name the body's field. */
const rename = (path: string) => (err: unknown) => {
  if (err instanceof AppError && err.code === 'validation_failed') throw invalid(path, err.message);
  throw err;
};
