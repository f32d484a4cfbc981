import type { Module } from '../../platform/module';
import { registerSnoozeWake } from './listeners';
import { registerRealtimeTopics } from './realtime';
import { registerAttachmentRoutes } from './routes/attachments';
import { registerCollaborationRoutes } from './routes/collaboration';
import { registerConversationRoutes } from './routes/conversations';
import { registerInboxRoutes } from './routes/inbox';
import { registerMessageRoutes } from './routes/messages';
import { registerRelatedRoutes } from './routes/related';
import { registerSavedViewRoutes } from './routes/saved-views';
import { registerSearchRoutes } from './routes/search';

export { createConversation, IN_PROGRESS_STATUSES, type CreateConversationInput } from './commands/create-conversation';
export {
  joinOrStartConversation,
  receiveCustomerMessage,
  type CustomerMessageInput,
  type CustomerMessageResult,
  type ThreadCandidate,
  type Threading,
} from './commands/receive-customer-message';
export { createMessage, type CreateMessageInput } from './commands/create-message';
export { applyDeliveryStatus, lockMessage, setDeliveryStatus, type DeliveryResult, type DeliveryUpdate } from './commands/message-delivery';
export { onReplyToDeliver, type ReplyDelivery } from './listeners';
export { changeConversationStatus } from './commands/change-conversation-status';
export { assignConversation, assignInTransaction } from './commands/assign-conversation';
export { editConversationTags, setConversationTags } from './commands/set-conversation-tags';
export { updateConversation } from './commands/update-conversation';
export { getConversation, getConversationByNumber, latestConversationOn } from './queries';
export { presentConversation, presentMessage, type ConversationRow, type MessageRow } from './presenters';
export { conversationPolicy } from './policy';

/**
 * Conversations: messages, notes, status, priority, tags and assignment, their search and realtime topics, and the
 * inbox (views, bulk actions, saved views, read state, mentions).
 */
export const conversationsModule: Module = {
  name: 'conversations',
  register(app, deps) {
    registerConversationRoutes(app, deps);
    registerInboxRoutes(app, deps);
    registerSavedViewRoutes(app, deps);
    registerMessageRoutes(app, deps);
    registerRelatedRoutes(app, deps);
    registerAttachmentRoutes(app, deps);
    registerCollaborationRoutes(app, deps);
    registerSearchRoutes(app, deps);
    registerRealtimeTopics(deps);
    registerSnoozeWake(deps);
  },
};
export { conversationExists } from './queries';
