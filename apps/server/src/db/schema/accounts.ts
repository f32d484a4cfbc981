import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgPolicy, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accountId, createdAt, CURRENT_TENANT, id, tenantPolicy, ts, updatedAt } from './columns';

export const ROLES = ['owner', 'admin', 'supervisor', 'agent', 'analyst'] as const;
const roleCheck = (col: string) => sql.raw(`${col} in ('owner','admin','supervisor','agent','analyst')`);

export const accounts = pgTable(
  'accounts',
  {
    id: id(),
    name: text().notNull(),
    slug: text().notNull(),
    timeZone: text().notNull().default('UTC'),
    locale: text().notNull().default('en'),
    /** Last per-account conversation number handed out (`#1042`). */
    conversationSeq: integer().notNull().default(0),
    settings: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('accounts_slug_key').on(t.slug), tenantPolicy(sql`id`)],
);

/** People who log in. Global, so one person can later belong to several accounts through memberships. */
export const users = pgTable(
  'users',
  {
    id: id(),
    email: text().notNull(),
    name: text().notNull(),
    passwordHash: text(),
    failedLoginCount: integer().notNull().default(0),
    lockedUntil: ts(),
    lastLoginAt: ts(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(sql`lower(${t.email})`),
    pgPolicy('tenant_isolation', {
      as: 'permissive',
      for: 'all',
      to: 'public',
      using: sql`exists (select 1 from memberships m where m.user_id = ${t.id} and m.account_id = ${CURRENT_TENANT})`,
    }),
  ],
);

/**
 * Failed logins per normalised email, whether or not a person has that email, so the lockout answers the same for
 * registered and unknown addresses. Not tenant data: login runs before any account is known.
 */
export const loginAttempts = pgTable('login_attempts', {
  email: text().primaryKey(),
  failedCount: integer().notNull().default(0),
  lockedUntil: ts(),
  lastFailedAt: ts().notNull().defaultNow(),
});

export const memberships = pgTable(
  'memberships',
  {
    id: id(),
    accountId: accountId(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    role: text().notNull(),
    active: boolean().notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('memberships_account_user_key').on(t.accountId, t.userId),
    index('memberships_user_idx').on(t.userId),
    check('memberships_role_check', roleCheck('role')),
    tenantPolicy(),
  ],
);

export const invitations = pgTable(
  'invitations',
  {
    id: id(),
    accountId: accountId(),
    email: text().notNull(),
    role: text().notNull(),
    teamIds: uuid()
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    tokenHash: text().notNull(),
    invitedById: uuid(),
    expiresAt: ts().notNull(),
    acceptedAt: ts(),
    revokedAt: ts(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('invitations_token_key').on(t.tokenHash),
    index('invitations_account_email_idx').on(t.accountId, sql`lower(${t.email})`),
    check('invitations_role_check', roleCheck('role')),
    tenantPolicy(),
  ],
);

export const teams = pgTable(
  'teams',
  {
    id: id(),
    accountId: accountId(),
    name: text().notNull(),
    description: text().notNull().default(''),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('teams_account_name_key').on(t.accountId, sql`lower(${t.name})`), tenantPolicy()],
);

export const teamMembers = pgTable(
  'team_members',
  {
    accountId: accountId(),
    teamId: uuid()
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index('team_members_account_user_idx').on(t.accountId, t.userId), tenantPolicy()],
);

export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    tokenHash: text().notNull(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    accountId: accountId(),
    ip: text(),
    userAgent: text(),
    expiresAt: ts().notNull(),
    lastSeenAt: ts().notNull().defaultNow(),
    revokedAt: ts(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('sessions_token_key').on(t.tokenHash), index('sessions_account_user_idx').on(t.accountId, t.userId), tenantPolicy()],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    accountId: accountId(),
    name: text().notNull(),
    role: text().notNull(),
    /** Public, non-secret part of the key (`tp_<prefix>_<secret>`), used to find the row. */
    prefix: text().notNull(),
    secretHash: text().notNull(),
    createdById: uuid(),
    lastUsedAt: ts(),
    expiresAt: ts(),
    revokedAt: ts(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('api_keys_prefix_key').on(t.prefix),
    index('api_keys_account_idx').on(t.accountId, t.createdAt),
    check('api_keys_role_check', roleCheck('role')),
    tenantPolicy(),
  ],
);
