import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accountId, createdAt, id, tenantPolicy, updatedAt } from './columns';
import { users } from './accounts';

/** Canned responses: a template body plus optional actions; personal (one agent's) or shared (account-wide). */
export const macros = pgTable(
  'macros',
  {
    id: id(),
    accountId: accountId(),
    name: text().notNull(),
    body: text().notNull(),
    visibility: text().notNull(),
    /** The author of a personal macro; null for shared ones. */
    ownerUserId: uuid().references(() => users.id),
    actions: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('macros_account_idx').on(t.accountId, t.name, t.id),
    check('macros_visibility_check', sql.raw(`visibility in ('personal','shared')`)),
    tenantPolicy(),
  ],
);

/** Automation rules: when an event happens (or a time condition holds), if conditions hold, do actions. */
export const automationRules = pgTable(
  'automation_rules',
  {
    id: id(),
    accountId: accountId(),
    name: text().notNull(),
    description: text(),
    active: boolean().notNull().default(true),
    /** `{event}` or `{schedule, hours, businessHours}`; validated by the shared contract before it is stored. */
    trigger: jsonb().$type<Record<string, unknown>>().notNull(),
    /** The event type for event rules (null for time rules), so the listener finds its rules by index. */
    eventType: text(),
    match: text().notNull().default('all'),
    conditions: jsonb().$type<unknown[]>().notNull().default([]),
    actions: jsonb().$type<unknown[]>().notNull(),
    webhookSecret: text().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('automation_rules_account_event_idx').on(t.accountId, t.eventType, t.active), tenantPolicy()],
);

/** One row per evaluation of a rule: what it matched, what it did, or why it skipped or failed. */
export const automationRuns = pgTable(
  'automation_runs',
  {
    id: id(),
    accountId: accountId(),
    ruleId: uuid()
      .notNull()
      .references(() => automationRules.id, { onDelete: 'cascade' }),
    eventId: uuid(),
    conversationId: uuid(),
    /** Time rules: the conversation state the run was for, so a sweep acts once per state. */
    stateKey: text(),
    outcome: text().notNull(),
    reason: text(),
    actions: jsonb().$type<unknown[]>().notNull().default([]),
    error: text(),
    createdAt: createdAt(),
  },
  (t) => [
    index('automation_runs_rule_idx').on(t.accountId, t.ruleId, t.createdAt.desc(), t.id.desc()),
    uniqueIndex('automation_runs_event_key')
      .on(t.accountId, t.ruleId, t.eventId)
      .where(sql`event_id is not null`),
    uniqueIndex('automation_runs_state_key')
      .on(t.accountId, t.ruleId, t.conversationId, t.stateKey)
      .where(sql`state_key is not null`),
    check('automation_runs_outcome_check', sql.raw(`outcome in ('matched','not_matched','skipped','failed')`)),
    tenantPolicy(),
  ],
);
