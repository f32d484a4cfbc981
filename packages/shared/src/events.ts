import type { Account, ApiKey, Channel, Invitation, Team, User } from './contracts/accounts';
import type { Conversation, Message } from './contracts/conversations';
import type { Customer, CustomerIdentity, MergeSuggestion } from './contracts/customers';
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

export interface RealtimeSignals {
  [TYPING_SIGNAL]: {
    who: 'customer' | 'agent';
    conversationId: string;
    channelId: string;
    /** The agent's first name: all a visitor learns of who is typing. */
    name?: string | null;
    userId?: string | null;
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

export type RealtimeEvent = RealtimeDomainEvent | RealtimeSignal;
