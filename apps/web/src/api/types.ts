// Shapes of the API. Entity types come from the shared zod contracts (type-only imports: no zod in the bundle).
import type {
  Conversation as SharedConversation,
  CustomerIdentity,
  Customer as SharedCustomer,
  Me as SharedMe,
  Message as SharedMessage,
  Presence as SharedPresence,
  PresenceMe as SharedPresenceMe,
  RealtimeEvent as SharedRealtimeEvent,
  TimelineItem as SharedTimelineItem,
  User as SharedUser,
} from '@touchpoint/shared';

export type Role = SharedMe['role'];
export type Policies = { id: string; abilities: Record<string, boolean> }[];

export interface Envelope<T> {
  data: T;
  policies?: Policies;
}
export interface Page<T> {
  data: T[];
  page: { nextCursor: string | null; limit: number };
  policies?: Policies;
}

/** GET /me for a person (the web app always signs in as one; `user` is null only for API keys). */
export type Me = Omit<SharedMe, 'user'> & { user: NonNullable<SharedMe['user']> };
/** Teammates; the web app only relies on the summary fields. */
export type User = Pick<SharedUser, 'id' | 'name' | 'email'> & Partial<SharedUser>;

export type Conversation = SharedConversation;
export type ConversationStatus = Conversation['status'];
export type Priority = Conversation['priority'];
/** Mirrors CONVERSATION_PRIORITIES (kept local: importing the value would pull zod into the bundle). */
export const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];
export type CustomerSummary = NonNullable<Conversation['customer']>;

export type Message = SharedMessage;
export type MessageKind = Message['kind'];

export type Identity = CustomerIdentity;
export type Customer = SharedCustomer;
export type TimelineItem = SharedTimelineItem;

/** What realtime pushes: a domain event (narrow on `type` for its payload) or an ephemeral signal (typing). */
export type RealtimeEvent = SharedRealtimeEvent;

/** The conversation an event carries, when it carries one. */
export const conversationOf = (e: RealtimeEvent): Conversation | undefined =>
  'conversation' in e.payload && e.payload.conversation && typeof e.payload.conversation === 'object' ? e.payload.conversation : undefined;

/** An agent's availability for new conversations, and their load. */
export type Presence = SharedPresence;
/** GET /presence/me: the agent's presence and whether opening the workspace makes them available. */
export type PresenceMe = SharedPresenceMe;
export type PresenceState = Presence['state'];
