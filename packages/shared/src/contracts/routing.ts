import { z } from 'zod';
import { PRESENCE_STATES, RELAXATION_DROPS, ROUTING_POLICIES } from '../domain/routing';
import { envelope, pageEnvelope, ZPageQuery } from './common';

export const ZPresenceState = z.enum(PRESENCE_STATES);
export const ZRoutingPolicy = z.enum(ROUTING_POLICIES);

/**
 * Why a presence state was set: the agent chose it (`manual`), the workspace set it when opened (`workspace_opened`)
 * or after idle time (`idle`), or the server did when the agent's last realtime socket had been closed for the grace
 * period (`disconnected`, never accepted from a client).
 */
export const PRESENCE_SOURCES = ['manual', 'workspace_opened', 'idle', 'disconnected'] as const;
export const ZPresenceSource = z.enum(PRESENCE_SOURCES);
export type PresenceSource = z.infer<typeof ZPresenceSource>;

export const ZSetPresenceBody = z.object({
  state: ZPresenceState,
  /** Default `manual`. */
  source: z.enum(['manual', 'workspace_opened', 'idle']).optional(),
});
export const ZPresence = z.object({
  userId: z.string(),
  name: z.string(),
  state: ZPresenceState,
  since: z.string().nullable(),
  /** Why the current state was set; null when it never was (offline by default) or was set before sources existed. */
  source: ZPresenceSource.nullable(),
  load: z.number(),
  lastAssignedAt: z.string().nullable(),
});
export type Presence = z.infer<typeof ZPresence>;
export const ZPresenceEnvelope = envelope(ZPresence);
/** `GET /presence/me`: my presence, and whether the workspace makes me available when I open it (account setting). */
export const ZPresenceMe = ZPresence.extend({ availableOnOpen: z.boolean() });
export type PresenceMe = z.infer<typeof ZPresenceMe>;
export const ZPresenceMeEnvelope = envelope(ZPresenceMe);
export const ZPresenceList = z.object({ data: z.array(ZPresence) });

const weight = z.number().min(0).max(1);
export const ZCapacityWeights = z
  .object({ voice: weight, web: weight, chat: weight, messaging: weight, email: weight, api: weight })
  .partial()
  .strict();
/**
 * What happens to an agent's open conversations of this team when the agent goes away or offline: `keep` them
 * assigned (the default), or `requeue` them (unassign and route again) once the agent has been unavailable for
 * `graceMinutes`.
 */
export const OFFLINE_CONVERSATION_MODES = ['keep', 'requeue'] as const;
export const ZOfflineConversations = z.object({
  mode: z.enum(OFFLINE_CONVERSATION_MODES),
  graceMinutes: z.number().int().min(0).max(1440),
});
export type OfflineConversations = z.infer<typeof ZOfflineConversations>;
export const DEFAULT_OFFLINE_CONVERSATIONS: OfflineConversations = { mode: 'keep', graceMinutes: 15 };

export const ZTeamRoutingBody = z.object({
  weights: ZCapacityWeights.optional(),
  maxLoad: z.number().positive().max(100).optional(),
  policy: ZRoutingPolicy.optional(),
  /** Chat and voice assignments become offers that expire after this many seconds; null turns offers off. */
  offerTimeoutSeconds: z.number().int().min(5).max(600).nullable().optional(),
  /** Merged with the current value: either field may be left out. */
  offlineConversations: ZOfflineConversations.partial().strict().optional(),
});
export const ZTeamRouting = z.object({
  teamId: z.string(),
  weights: z.record(z.string(), z.number()),
  maxLoad: z.number(),
  policy: ZRoutingPolicy,
  offerTimeoutSeconds: z.number().nullable(),
  offlineConversations: ZOfflineConversations,
});
export type TeamRouting = z.infer<typeof ZTeamRouting>;
export const ZTeamRoutingEnvelope = envelope(ZTeamRouting);

const name = z.string().trim().min(1).max(100);
export const ZCreateSkillBody = z.object({ name });
export const ZSkill = z.object({ id: z.string(), name: z.string(), createdAt: z.string() });
export const ZSkillEnvelope = envelope(ZSkill);
export const ZSkillList = z.object({ data: z.array(ZSkill) });

const language = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})?$/, 'A language code such as "en" or "pt-br"');
export const ZRoutingProfileBody = z.object({
  skills: z.array(z.object({ skillId: z.uuid(), proficiency: z.number().int().min(1).max(5) })).max(100),
  languages: z.array(language).max(20),
});
export const ZRoutingProfile = z.object({
  userId: z.string(),
  skills: z.array(z.object({ skillId: z.string(), name: z.string(), proficiency: z.number() })),
  languages: z.array(z.string()),
});
export const ZRoutingProfileEnvelope = envelope(ZRoutingProfile);

const shortList = z.array(z.string().trim().min(1).max(100)).max(50);
export const ZRoutingConditions = z
  .object({
    channelKinds: shortList.optional(),
    /** Any of these tags. */
    tags: shortList.optional(),
    languages: z.array(language).max(50).optional(),
    vip: z.boolean().optional(),
    segments: shortList.optional(),
    /** The assistant's detected intent (conversation customAttributes.intent). */
    intents: shortList.optional(),
  })
  .strict();
export const ZSkillRequirement = z.object({ skillId: z.uuid(), minProficiency: z.number().int().min(1).max(5).default(1) });
export const ZRoutingActions = z
  .object({
    requiredSkills: z.array(ZSkillRequirement).max(20).default([]),
    language: language.nullable().optional(),
    priorityBoost: z.number().int().min(-100).max(100).default(0),
    teamId: z.uuid().nullable().optional(),
  })
  .strict();
export const ZRelaxationStep = z.object({ afterSeconds: z.number().int().min(1).max(86_400), drop: z.enum(RELAXATION_DROPS) });
export const ZCreateRoutingRuleBody = z.object({
  name,
  position: z.number().int().min(0).max(100_000).optional(),
  active: z.boolean().default(true),
  conditions: ZRoutingConditions.default({}),
  actions: ZRoutingActions,
  relaxation: z.array(ZRelaxationStep).max(10).default([]),
});
export type CreateRoutingRuleBody = z.infer<typeof ZCreateRoutingRuleBody>;
export type RoutingConditions = z.infer<typeof ZRoutingConditions>;
export type RoutingActions = z.infer<typeof ZRoutingActions>;
export const ZRoutingRule = z.object({
  id: z.string(),
  name: z.string(),
  position: z.number(),
  active: z.boolean(),
  conditions: ZRoutingConditions,
  actions: ZRoutingActions,
  relaxation: z.array(ZRelaxationStep),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RoutingRule = z.infer<typeof ZRoutingRule>;
export const ZRoutingRuleEnvelope = envelope(ZRoutingRule);
export const ZRoutingRuleList = z.object({ data: z.array(ZRoutingRule) });

export const ZRoutingDecision = z.object({
  id: z.string(),
  conversationId: z.string(),
  decidedAt: z.string(),
  outcome: z.enum(['assigned', 'queued']),
  winnerId: z.string().nullable(),
  explanation: z.record(z.string(), z.unknown()),
});
export type RoutingDecisionView = z.infer<typeof ZRoutingDecision>;
export const ZRoutingDecisionPage = pageEnvelope(ZRoutingDecision);
export const ZRoutingDecisionQuery = ZPageQuery;

export const ZQueuedConversation = z.object({
  conversationId: z.string(),
  priority: z.number(),
  enqueuedAt: z.string(),
  teamId: z.string().nullable(),
  relaxationLevel: z.number(),
});
export const ZRoutingQueueList = z.object({ data: z.array(ZQueuedConversation) });

export const ZOfferResponseBody = z.object({ response: z.enum(['accept', 'decline']) });
export const ZRoutingOffer = z.object({
  id: z.string(),
  conversationId: z.string(),
  userId: z.string(),
  status: z.enum(['pending', 'accepted', 'declined', 'expired']),
  offeredAt: z.string(),
  expiresAt: z.string(),
  respondedAt: z.string().nullable(),
});
export const ZRoutingOfferEnvelope = envelope(ZRoutingOffer);
