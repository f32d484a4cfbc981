import { z } from 'zod';
import { ZPageInfo, ZPageQuery } from './common';
import { CONVERSATION_PRIORITIES, CONVERSATION_STATUSES } from '../domain/conversation';
import { SLA_TARGETS } from './sla';

// API contracts of the activity module: what happened to a conversation besides its messages (docs/conversation.md#activity).

/** What the thread shows between messages: these domain events of the conversation, and its routing decisions. */
export const ACTIVITY_TYPES = [
  'conversation.assigned',
  'conversation.priority_changed',
  'conversation.status_changed',
  'conversation.snoozed',
  'conversation.tags_changed',
  'sla.breached',
  'routing.requested',
  'routing.decision',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** A person, team or rule an entry names: the id, and the name when it is still known. */
export const ZActivityRef = z.object({ id: z.string(), name: z.string().nullable() });
export type ActivityRef = z.infer<typeof ZActivityRef>;

const ZStatus = z.enum(CONVERSATION_STATUSES);
const ZPriority = z.enum(CONVERSATION_PRIORITIES);

/** A routing candidate as the decision saw it (assigned decisions keep a shortlist, queued ones everyone). */
export const ZActivityCandidate = z.object({ user: ZActivityRef, eligible: z.boolean(), reasons: z.array(z.string()) });

/** The typed details of each kind of entry (`type` says which). */
export const ZActivityData = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('conversation.assigned'),
    assignee: ZActivityRef.nullable(),
    previousAssignee: ZActivityRef.nullable(),
    team: ZActivityRef.nullable(),
    previousTeam: ZActivityRef.nullable(),
    /** The routing engine made it (its decision is an entry of its own). */
    routed: z.boolean(),
  }),
  z.object({ type: z.literal('conversation.priority_changed'), from: ZPriority, to: ZPriority }),
  z.object({ type: z.literal('conversation.status_changed'), from: ZStatus, to: ZStatus, reason: z.string() }),
  z.object({ type: z.literal('conversation.snoozed'), until: z.string().nullable() }),
  z.object({ type: z.literal('conversation.tags_changed'), added: z.array(z.string()), removed: z.array(z.string()) }),
  z.object({
    type: z.literal('sla.breached'),
    target: z.enum(SLA_TARGETS),
    dueAt: z.string(),
    policy: ZActivityRef,
  }),
  z.object({ type: z.literal('routing.requested'), team: ZActivityRef.nullable() }),
  z.object({
    type: z.literal('routing.decision'),
    outcome: z.enum(['assigned', 'queued']),
    assignee: ZActivityRef.nullable(),
    /** The engine's own explanation, with people's ids replaced by their names. */
    why: z.string(),
    policy: z.string().nullable(),
    rule: ZActivityRef.nullable(),
    relaxationLevel: z.number().int(),
    /** At most the first 10 candidates. */
    candidates: z.array(ZActivityCandidate),
    /** Why it was routed again (its agent went away), as the engine recorded it; null for an arrival. */
    cause: z.record(z.string(), z.unknown()).nullable(),
  }),
]);
export type ActivityData = z.infer<typeof ZActivityData>;

export const ZActivityItem = z.object({
  /** The event's id (routing decisions: the decision's id). */
  id: z.string(),
  type: z.enum(ACTIVITY_TYPES),
  at: z.string(),
  /** Who did it: a person (`user`, with the name), an API key, automation, the customer or the system (routing, SLA clock, snooze). */
  actor: z.object({ kind: z.string(), id: z.string().nullable(), name: z.string().nullable() }),
  /** One English sentence ("Dana assigned the conversation to Sam"); clients may render their own from `data`. */
  text: z.string(),
  data: ZActivityData,
});
export type ActivityItem = z.infer<typeof ZActivityItem>;

export const ZActivityQuery = ZPageQuery;
/** Newest first, like messages; the cursor is opaque. */
export const ZActivityPage = z.object({ data: z.array(ZActivityItem), page: ZPageInfo });
export type ActivityPage = z.infer<typeof ZActivityPage>;

// ---- Reply channels and who is here (the conversation pane's collaboration) ----

/** A channel a reply can go out on: the conversation's own, or another of the account's where the customer is reachable. */
export const ZReplyChannel = z.object({
  channelId: z.string(),
  kind: z.string(),
  name: z.string(),
  /** Where the reply goes: the email address, phone number or handle; null for web chat and API channels. */
  address: z.string().nullable(),
  /** The conversation's channel now (replies without `channelId` go there). */
  current: z.boolean(),
  /** False only for the current channel when the customer cannot be reached on it any more (disabled, no address). */
  reachable: z.boolean(),
});
export type ReplyChannel = z.infer<typeof ZReplyChannel>;
export const ZReplyChannelList = z.object({ data: z.array(ZReplyChannel) });

/**
 * POST /conversations/:id/viewing: `opened` when I open the conversation (the others answer with `viewing`, so I learn
 * at once who is there), then a `viewing` heartbeat every 20 s; `typing_note` while I write a note; `left`.
 */
export const VIEWING_STATES = ['opened', 'viewing', 'typing_note', 'left'] as const;
export const ZViewingBody = z.object({ state: z.enum(VIEWING_STATES).default('viewing') });
export type ViewingBody = z.infer<typeof ZViewingBody>;
