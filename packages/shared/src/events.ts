import type { Account, ApiKey, Channel, Invitation, Team, User } from './contracts/accounts';
import type { Conversation, Message } from './contracts/conversations';
import type { Customer, CustomerIdentity, CustomerNote, MergeSuggestion } from './contracts/customers';
import type { Notification } from './contracts/notifications';
import type { Presence, TeamRouting } from './contracts/routing';
import type { Call } from './contracts/voice';

/**
 * Domain event names (`noun.past_tense`). The outbox stores them; listeners, realtime and webhooks key on them.
 * Payloads carry ids and the presented entity where clients need it (realtime pushes the payload as is).
 */
export const EVENT_TYPES = [
  'account.created',
  'user.invited',
  'user.joined',
  'user.role_changed',
  'user.deactivated',
  'user.reactivated',
  'team.created',
  'team.updated',
  'team.deleted',
  'team.member_added',
  'team.member_removed',
  'api_key.created',
  'api_key.revoked',
  'customer.created',
  'customer.updated',
  'customer.identity_added',
  'customer.merged',
  'customer.merge_suggested',
  'customer.note_added',
  'customer.note_deleted',
  'conversation.created',
  'conversation.updated',
  'conversation.status_changed',
  'conversation.assigned',
  'conversation.tags_changed',
  'conversation.priority_changed',
  'conversation.snoozed',
  'conversation.read',
  'message.created',
  'message.delivery_status_changed',
  'agent.presence_changed',
  'routing.team_settings_changed',
  'routing.requested',
  'sla.warning',
  'sla.breached',
  'call.started',
  'call.answered',
  'call.ended',
  'call.updated',
  'conversation.mentioned',
  'notification.created',
  'notification.read',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The short form of a user that events name (the account's owner at sign-up). */
export interface UserSummary {
  id: string;
  name: string;
  email: string;
}

interface UserChange {
  user: User;
  previous?: unknown;
}

interface SlaEventPayload {
  target: 'firstResponse' | 'nextResponse' | 'resolution';
  dueAt: string;
  policyId: string;
  policyName: string | null;
  conversation?: Conversation;
}

interface CallEventPayload {
  call: Call;
  eventType?: string;
}

/**
 * What each event carries, by type: one contract for the server that emits it, the listeners that react to it,
 * realtime subscribers and webhooks. Adding an event means adding it here and to EVENT_TYPES.
 */
export interface EventPayloads {
  'account.created': { account: Account; owner: UserSummary; channels: Channel[] };
  'user.invited': { invitation: Invitation };
  'user.joined': { user: User; invitationId?: string };
  'user.role_changed': UserChange;
  'user.deactivated': UserChange;
  'user.reactivated': UserChange;
  'team.created': { team: Team };
  'team.updated': { team: Team; previous: { name: string; description: string | null } };
  'team.deleted': { team: Team };
  'team.member_added': { team: Team; userId: string };
  'team.member_removed': { team: Team; userId: string };
  'api_key.created': { apiKey: ApiKey };
  'api_key.revoked': { apiKey: ApiKey };
  'customer.created': { customer: Customer };
  'customer.updated': { customer: Customer; changes?: string[]; removedIdentityId?: string };
  'customer.identity_added': { customer: Customer; identity: CustomerIdentity; source?: string };
  'customer.merged': {
    customer: Customer;
    target: Customer;
    sourceId: string;
    moved: Record<string, number>;
    fieldsTakenFromSource: string[];
  };
  'customer.merge_suggested': { suggestion: MergeSuggestion; candidateId: string };
  /** An internal note about the customer (staff only); realtime: `customer:<id>`. */
  'customer.note_added': { note: CustomerNote };
  'customer.note_deleted': { noteId: string; customerId: string };
  'conversation.created': { conversation: Conversation; message: Message; recentConversationIds: string[] };
  'conversation.updated': { conversation: Conversation; changed: string[] };
  'conversation.status_changed': {
    conversation: Conversation;
    from: Conversation['status'];
    to: Conversation['status'];
    reason: string;
  };
  'conversation.assigned': {
    conversation: Conversation;
    previous: { assigneeId: string | null; teamId: string | null };
    assigneeId: string | null;
    teamId: string | null;
    /** The routing engine made this assignment and already accounted the agent's load. */
    routed?: boolean;
  };
  'conversation.tags_changed': { conversation: Conversation; added: string[]; removed: string[] };
  'conversation.priority_changed': { conversation: Conversation; from: Conversation['priority']; to: Conversation['priority'] };
  'conversation.snoozed': { conversation: Conversation; until: string | null };
  'conversation.read': { conversationId: string; channelId: string; agentReadAt: string; agentUserId: string | null };
  'message.created': { message: Message; conversation: Conversation };
  'message.delivery_status_changed': {
    message: Message;
    from: Message['deliveryStatus'];
    to: NonNullable<Message['deliveryStatus']>;
    error?: string;
  };
  'agent.presence_changed': { userId: string; state: Presence['state']; previous: Presence['state']; since: string };
  'routing.team_settings_changed': { settings: TeamRouting };
  'routing.requested': { teamId: string | null };
  'sla.warning': SlaEventPayload;
  'sla.breached': SlaEventPayload;
  'call.started': CallEventPayload;
  'call.answered': CallEventPayload;
  'call.ended': CallEventPayload;
  'call.updated': CallEventPayload;
  /** A teammate was @mentioned in an internal note (one event per person); realtime: `user:<mentionedUserId>`. */
  'conversation.mentioned': {
    conversationId: string;
    messageId: string;
    mentionedUserId: string;
    /** Null when automation or an API key wrote the note. */
    byUserId: string | null;
    /** The start of the note. */
    preview: string;
    conversation: Conversation;
  };
  /** Realtime: `user:<userId>`. */
  'notification.created': { userId: string; notification: Notification };
  /** Someone marked their notifications read (`ids` null: all); realtime: `user:<userId>`, so their other tabs update the badge. */
  'notification.read': { userId: string; ids: string[] | null; unreadCount: number };
}

/** Who caused an event. */
export type EventActorKind = 'user' | 'api_key' | 'customer' | 'automation' | 'system';

/** One event as stored in the outbox and handed to listeners, narrowed by `type` (a discriminated union). */
export type DomainEvent<K extends EventType = EventType> = {
  [T in K]: {
    id: string;
    accountId: string;
    type: T;
    actorKind: EventActorKind;
    actorId: string | null;
    causationId: string | null;
    causationDepth: number;
    conversationId: string | null;
    customerId: string | null;
    payload: EventPayloads[T];
    createdAt: Date;
  };
}[K];

/**
 * What realtime pushes (the hub's wire format): a domain event as JSON, or an ephemeral signal that is never stored
 * (typing indicators, `id: null`). Narrow on `type`.
 */
export type RealtimeDomainEvent<K extends EventType = EventType> = {
  [T in K]: {
    id: string;
    type: T;
    conversationId: string | null;
    customerId: string | null;
    actor: { kind: EventActorKind; id: string | null };
    payload: EventPayloads[T];
    createdAt: string;
  };
}[K];

export const TYPING_SIGNAL = 'conversation.typing';
export const VIEWING_SIGNAL = 'conversation.viewing';

export interface RealtimeSignals {
  [TYPING_SIGNAL]: {
    who: 'customer' | 'agent';
    conversationId: string;
    channelId: string;
    /** The agent's first name: all a visitor learns of who is typing. */
    name?: string | null;
    userId?: string | null;
  };
  /**
   * Collision detection: a teammate opened the conversation or has it open (a heartbeat every 20 s; gone after ~30 s
   * without one), is writing an internal note, or closed it. To `conversation:<id>` only, never to the customer.
   */
  [VIEWING_SIGNAL]: {
    conversationId: string;
    userId: string;
    name: string;
    /** `opened`: just opened it (viewers answer with a `viewing` heartbeat); `viewing`: the 20 s heartbeat. */
    state: 'opened' | 'viewing' | 'typing_note' | 'left';
  };
}
export type RealtimeSignal = {
  [T in keyof RealtimeSignals]: {
    id: null;
    type: T;
    conversationId: string | null;
    customerId: string | null;
    actor: { kind: EventActorKind; id: string | null };
    payload: RealtimeSignals[T];
    createdAt: string;
  };
}[keyof RealtimeSignals];

/** A signal as its publisher writes it (the hub adds `id: null` and the time), narrowed by `type`. */
export type NewRealtimeSignal = {
  [T in keyof RealtimeSignals]: Omit<Extract<RealtimeSignal, { type: T }>, 'id' | 'createdAt'>;
}[keyof RealtimeSignals];

export type RealtimeEvent = RealtimeDomainEvent | RealtimeSignal;
