import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accountId, createdAt, id, tenantPolicy, ts, updatedAt } from './columns';

/** Business-hours calendars (time zone, weekly schedule, holidays), assignable to teams and channels. */
export const businessHoursCalendars = pgTable(
  'business_hours_calendars',
  {
    id: id(),
    accountId: accountId(),
    name: text().notNull(),
    timeZone: text().notNull(),
    /** { monday: [{start:'09:00', end:'17:00'}], ... } (packages/shared domain/business-time). */
    weekly: jsonb().$type<Record<string, { start: string; end: string }[]>>().notNull(),
    holidays: jsonb().$type<{ date: string; name?: string; closed?: { start: string; end: string }[] }[]>().notNull().default([]),
    teamIds: uuid()
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    channelIds: uuid()
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('business_hours_calendars_account_name_key').on(t.accountId, t.name), tenantPolicy()],
);

/** SLA policies, matched in `position` order by their conditions; targets are seconds of business time. */
export const slaPolicies = pgTable(
  'sla_policies',
  {
    id: id(),
    accountId: accountId(),
    name: text().notNull(),
    position: integer().notNull(),
    active: boolean().notNull().default(true),
    conditions: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    firstResponseSeconds: integer(),
    nextResponseSeconds: integer(),
    resolutionSeconds: integer(),
    /** Seconds before due to warn; null = 20% of each target. */
    warningLeadSeconds: integer(),
    escalation: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('sla_policies_account_name_key').on(t.accountId, t.name),
    index('sla_policies_account_position_idx').on(t.accountId, t.position),
    tenantPolicy(),
  ],
);

/** The SLA clock of one conversation (one row per conversation that matched a policy). */
export const conversationSlas = pgTable(
  'conversation_slas',
  {
    accountId: accountId(),
    conversationId: uuid().notNull(),
    policyId: uuid().notNull(),
    startedAt: ts().notNull(),
    firstResponseDueAt: ts(),
    nextResponseDueAt: ts(),
    /** The customer message that started the current next-response clock. */
    nextResponseStartedAt: ts(),
    resolutionDueAt: ts(),
    pausedAt: ts(),
    pausedBusinessSeconds: integer().notNull().default(0),
    firstResponseStatus: text().notNull().default('none'),
    nextResponseStatus: text().notNull().default('none'),
    resolutionStatus: text().notNull().default('none'),
    firstResponseWarned: boolean().notNull().default(false),
    nextResponseWarned: boolean().notNull().default(false),
    resolutionWarned: boolean().notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.conversationId] }),
    check(
      'conversation_slas_status_check',
      sql`${t.firstResponseStatus} in ('none','pending','met','breached') and ${t.nextResponseStatus} in ('none','pending','met','breached') and ${t.resolutionStatus} in ('none','pending','met','breached')`,
    ),
    tenantPolicy(),
  ],
);
