import { sql } from 'drizzle-orm';
import { boolean, check, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accountId, createdAt, id, tenantPolicy, ts, updatedAt } from './columns';
import { teams, users } from './accounts';
import { conversations } from './conversations';

const presenceCheck = (col: string) => sql.raw(`${col} in ('online','away','busy','offline')`);
type PresenceState = 'online' | 'away' | 'busy' | 'offline';

/** An agent's current state; absent = offline. */
export const agentPresence = pgTable(
  'agent_presence',
  {
    accountId: accountId(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    state: text().$type<PresenceState>().notNull(),
    since: ts().notNull().defaultNow(),
    /** Why the state was set (PRESENCE_SOURCES: manual, workspace_opened, idle, disconnected). */
    source: text(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.userId] }), check('agent_presence_state_check', presenceCheck('state')), tenantPolicy()],
);

/** Append-only state intervals (the open one has no ended_at): occupancy reports are computed from them. */
export const agentPresenceHistory = pgTable(
  'agent_presence_history',
  {
    id: id(),
    accountId: accountId(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    state: text().notNull(),
    startedAt: ts().notNull(),
    endedAt: ts(),
    /** Why the interval's state was set, as agent_presence.source. */
    source: text(),
  },
  (t) => [
    index('agent_presence_history_user_idx').on(t.accountId, t.userId, t.startedAt),
    check('agent_presence_history_state_check', presenceCheck('state')),
    tenantPolicy(),
  ],
);

/**
 * The capacity an agent currently uses (sum of the weights of their open/pending conversations), maintained in
 * the assigning transaction. The router locks the winner's row FOR UPDATE (SKIP LOCKED) and claims capacity on
 * it, which is what makes capacity hold under concurrency.
 */
export const agentLoads = pgTable(
  'agent_loads',
  {
    accountId: accountId(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    load: doublePrecision().notNull().default(0),
    lastAssignedAt: ts(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.userId] }),
    // The router walks agents in least-loaded, longest-idle order and stops at the first it can claim (pick.ts).
    index('agent_loads_rank_idx').on(t.accountId, sql`round(${t.load}::numeric, 6)`, t.lastAssignedAt.asc().nullsFirst(), t.userId),
    tenantPolicy(),
  ],
);

/** Per-team routing: capacity weights per channel kind, the agent's max load, the policy. */
export const teamRoutingSettings = pgTable(
  'team_routing_settings',
  {
    accountId: accountId(),
    teamId: uuid()
      .notNull()
      .references(() => teams.id),
    weights: jsonb().$type<Record<string, number>>().notNull().default({}),
    maxLoad: doublePrecision().notNull().default(1),
    policy: text().notNull().default('skills'),
    /** Chat and voice assignments are offers the agent must accept within this many seconds; null = no offers. */
    offerTimeoutSeconds: integer(),
    /** An away/offline agent's open conversations of the team: 'keep' them, or 'requeue' them after the grace. */
    offlineMode: text().notNull().default('keep'),
    offlineGraceMinutes: integer().notNull().default(15),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.teamId] }),
    check('team_routing_policy_check', sql.raw(`policy in ('skills','round_robin','least_loaded')`)),
    check('team_routing_offline_mode_check', sql.raw(`offline_mode in ('keep','requeue')`)),
    check('team_routing_offline_grace_check', sql.raw(`offline_grace_minutes between 0 and 1440`)),
    tenantPolicy(),
  ],
);

/**
 * An agent's realtime sockets, one row per server node that has (or had) one: written when the agent's first socket
 * on that node opens and when its last one closes, and kept fresh by the node's heartbeat while open. "Still
 * connected" is then a question any node (the one running a job) can answer: an open row seen recently.
 */
export const agentConnections = pgTable(
  'agent_connections',
  {
    accountId: accountId(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    nodeId: text().notNull(),
    openedAt: ts().notNull(),
    /** Refreshed by the node's heartbeat while a socket is open: an open row not seen for long is a dead node's. */
    seenAt: ts().notNull(),
    /** When the node's last socket of the agent closed; null while one is open. */
    closedAt: ts(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.userId, t.nodeId] }), index('agent_connections_node_idx').on(t.nodeId), tenantPolicy()],
);

export const skills = pgTable(
  'skills',
  {
    id: id(),
    accountId: accountId(),
    name: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('skills_account_name_key').on(t.accountId, sql`lower(${t.name})`), tenantPolicy()],
);

export const agentSkills = pgTable(
  'agent_skills',
  {
    accountId: accountId(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    skillId: uuid()
      .notNull()
      .references(() => skills.id, { onDelete: 'cascade' }),
    proficiency: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.userId, t.skillId] }),
    check('agent_skills_proficiency_check', sql`proficiency between 1 and 5`),
    tenantPolicy(),
  ],
);

export const agentLanguages = pgTable(
  'agent_languages',
  {
    accountId: accountId(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    language: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.userId, t.language] }), tenantPolicy()],
);

/** Ordered rules: the first whose conditions hold sets the conversation's requirements. */
export const routingRules = pgTable(
  'routing_rules',
  {
    id: id(),
    accountId: accountId(),
    name: text().notNull(),
    position: integer().notNull(),
    active: boolean().notNull().default(true),
    conditions: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    actions: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    relaxation: jsonb().$type<unknown[]>().notNull().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('routing_rules_account_position_idx').on(t.accountId, t.position, t.id), tenantPolicy()],
);

/** Conversations waiting for an agent, served by priority then waiting time. */
export const routingQueue = pgTable(
  'routing_queue',
  {
    accountId: accountId(),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id),
    priority: integer().notNull(),
    enqueuedAt: ts().notNull().defaultNow(),
    teamId: uuid(),
    ruleId: uuid(),
    requiredSkills: jsonb().$type<unknown[]>().notNull().default([]),
    language: text(),
    relaxationLevel: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.conversationId] }),
    index('routing_queue_order_idx').on(t.accountId, t.priority.desc(), t.enqueuedAt),
    tenantPolicy(),
  ],
);

/** Every decision with its explanation (candidates, scores, rule, why). */
export const routingDecisions = pgTable(
  'routing_decisions',
  {
    id: id(),
    accountId: accountId(),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id),
    decidedAt: ts().notNull().defaultNow(),
    outcome: text().notNull(),
    winnerId: uuid(),
    explanation: jsonb().$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    index('routing_decisions_conversation_idx').on(t.accountId, t.conversationId, t.id),
    check('routing_decisions_outcome_check', sql.raw(`outcome in ('assigned','queued')`)),
    tenantPolicy(),
  ],
);

/** Offers of chat/voice conversations: pending until accepted, declined or expired (then the next agent). */
export const routingOffers = pgTable(
  'routing_offers',
  {
    id: id(),
    accountId: accountId(),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    status: text().notNull().default('pending'),
    offeredAt: ts().notNull().defaultNow(),
    expiresAt: ts().notNull(),
    respondedAt: ts(),
  },
  (t) => [
    index('routing_offers_conversation_idx').on(t.accountId, t.conversationId, t.offeredAt),
    check('routing_offers_status_check', sql.raw(`status in ('pending','accepted','declined','expired')`)),
    tenantPolicy(),
  ],
);
