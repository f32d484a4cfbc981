import type {
  ActivityItem,
  ActivityPage,
  ConversationSlaView,
  Macro,
  MacroActions,
  Notification,
  ReplyChannel,
  ViewingBody,
} from '@touchpoint/shared';
import { api } from '../../../api/client';
import type { Conversation, Envelope, Message, Page } from '../../../api/types';

/**
 * The conversation pane's server state beside the lead's inbox keys (queries.ts): activity entries, the SLA clock,
 * reply channels, macros and their previews. Keys:
 *   ['conversation', id, 'activity']            infinite activity pages, newest page first
 *   ['conversation', id, 'sla']                 GET /conversations/:id/sla
 *   ['conversation', id, 'reply-channels']      GET /conversations/:id/reply-channels
 *   ['macros']                                  the macros I may use (shared and mine)
 *   ['macro-preview', macroId, conversationId]  a macro rendered for a conversation
 *   ['notifications']                           my bell (components/notifications-bell.tsx)
 */
export const paneKeys = {
  activity: (id: string) => ['conversation', id, 'activity'] as const,
  sla: (id: string) => ['conversation', id, 'sla'] as const,
  replyChannels: (id: string) => ['conversation', id, 'reply-channels'] as const,
  macros: ['macros'] as const,
  macroPreview: (macroId: string, conversationId: string) => ['macro-preview', macroId, conversationId] as const,
};

export type { ActivityItem, ConversationSlaView, Macro, MacroActions, Notification, ReplyChannel };

export const pane = {
  activity: (id: string, cursor?: string) => api.get<ActivityPage>(`/conversations/${id}/activity`, { limit: 100, cursor }),
  sla: (id: string) => api.get<Envelope<ConversationSlaView | null>>(`/conversations/${id}/sla`),
  replyChannels: (id: string) => api.get<{ data: ReplyChannel[] }>(`/conversations/${id}/reply-channels`),
  macros: () => api.get<Page<Macro>>('/macros', { limit: 100 }),
  previewMacro: (macroId: string, conversationId: string) =>
    api.post<Envelope<{ body: string; actions: MacroActions }>>(`/macros/${macroId}/preview`, { conversationId }),
  send: (
    id: string,
    body: {
      body?: string;
      kind: Message['kind'];
      clientMessageId: string;
      attachmentIds?: string[];
      mentions?: string[];
      channelId?: string;
    },
  ) => api.post<Envelope<Message>>(`/conversations/${id}/messages`, body),
  setTeam: (id: string, teamId: string | null) => api.post<Envelope<Conversation>>(`/conversations/${id}/assignment`, { teamId }),
  viewing: (id: string, state: ViewingBody['state']) => api.post<void>(`/conversations/${id}/viewing`, { state }),
};

/** "Left": sent as the page goes away too, so it must outlive the document (keepalive). */
export function sendLeft(id: string): void {
  void fetch(`/api/v1/conversations/${id}/viewing`, {
    method: 'POST',
    credentials: 'include',
    keepalive: true,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ state: 'left' }),
  }).catch(() => undefined);
}
