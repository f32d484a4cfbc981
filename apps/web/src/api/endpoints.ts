import { api } from './client';
import type {
  Conversation,
  ConversationStatus,
  Envelope,
  Me,
  Message,
  MessageKind,
  Page,
  Presence,
  PresenceMe,
  PresenceState,
  User,
} from './types';

export interface AuthResult {
  user: Me['user'];
  account: Me['account'];
  role: Me['role'];
}

export const auth = {
  login: (body: { email: string; password: string }) => api.post<Envelope<AuthResult>>('/auth/login', body),
  signup: (body: { accountName: string; name: string; email: string; password: string }) =>
    api.post<Envelope<AuthResult>>('/auth/signup', body),
  logout: () => api.post<void>('/auth/logout'),
  me: () => api.get<Envelope<Me>>('/me'),
  users: () => api.get<Page<User> | Envelope<User[]>>('/users', { limit: 100 }),
};

export interface ConversationFilters {
  status?: ConversationStatus;
  assigneeId?: string;
  customerId?: string;
  limit?: number;
  cursor?: string;
}

export interface NewConversation {
  customerId?: string;
  customer?: { name?: string; email?: string };
  subject?: string;
  priority?: string;
  assigneeId?: string | null;
  message: { body: string; kind?: MessageKind; clientMessageId?: string };
}

export const conversations = {
  list: (f: ConversationFilters, signal?: AbortSignal) => api.get<Page<Conversation>>('/conversations', { ...f }, signal),
  get: (id: string) => api.get<Envelope<Conversation>>(`/conversations/${id}`),
  create: (body: NewConversation) => api.post<Envelope<{ conversation: Conversation; message: Message }>>('/conversations', body),
  update: (id: string, body: { subject?: string; priority?: string }) => api.patch<Envelope<Conversation>>(`/conversations/${id}`, body),
  messages: (id: string, cursor?: string) => api.get<Page<Message>>(`/conversations/${id}/messages`, { limit: 100, cursor }),
  send: (id: string, body: { body?: string; kind: MessageKind; clientMessageId: string; attachmentIds?: string[]; mentions?: string[] }) =>
    api.post<Envelope<Message>>(`/conversations/${id}/messages`, body),
  setStatus: (id: string, status: ConversationStatus, snoozedUntil?: string) =>
    api.post<Envelope<Conversation>>(`/conversations/${id}/status`, snoozedUntil ? { status, snoozedUntil } : { status }),
  assign: (id: string, assigneeId: string | null) => api.post<Envelope<Conversation>>(`/conversations/${id}/assignment`, { assigneeId }),
  setTags: (id: string, tags: string[]) => api.put<Envelope<Conversation>>(`/conversations/${id}/tags`, { tags }),
};

export const presence = {
  me: () => api.get<Envelope<PresenceMe>>('/presence/me'),
  set: (state: PresenceState, source?: 'manual' | 'workspace_opened' | 'idle') =>
    api.put<Envelope<Presence>>('/presence', source ? { state, source } : { state }),
};
