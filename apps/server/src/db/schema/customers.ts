import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgTable, text, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accountId, createdAt, id, tenantPolicy, ts, tsvector, updatedAt } from './columns';
import { users } from './accounts';
import { channels } from './channels';

export const customers = pgTable(
  'customers',
  {
    id: id(),
    accountId: accountId(),
    name: text(),
    /** Primary email and phone (E.164); every address the customer is known by is in customer_identities. */
    email: text(),
    phone: text(),
    externalId: text(),
    avatarUrl: text(),
    language: text(),
    timeZone: text(),
    segment: text(),
    vip: boolean().notNull().default(false),
    attributes: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** Set on the profile that was merged away; it then only redirects to the survivor. */
    mergedIntoId: uuid(),
    mergedAt: ts(),
    lastSeenAt: ts(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    searchVector: tsvector().generatedAlwaysAs(
      sql`to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(external_id, ''))`,
    ),
  },
  (t) => [
    index('customers_account_created_idx').on(t.accountId, t.createdAt, t.id),
    // Pattern ops so the search's prefix LIKE (`ann@ex%`, `+1415%`) can use them; they serve equality too.
    index('customers_account_email_idx').on(t.accountId, sql`lower(${t.email}) text_pattern_ops`),
    index('customers_account_phone_idx').on(t.accountId, sql`${t.phone} text_pattern_ops`),
    index('customers_account_name_idx').on(t.accountId, sql`lower(${t.name}) text_pattern_ops`),
    index('customers_search_idx').using('gin', t.searchVector),
    // Search by email domain (`acme.com`, `@acme`): a prefix LIKE over the domain of the primary email.
    index('customers_account_email_domain_idx').on(t.accountId, sql`split_part(lower(${t.email}), '@', 2) text_pattern_ops`),
    // Search by digits anywhere in the phone number (`5550123`): trigrams of the E.164 number (pg_trgm).
    index('customers_phone_trgm_idx').using('gin', sql`${t.phone} gin_trgm_ops`),
    tenantPolicy(),
  ],
);

export const IDENTITY_KINDS = ['email', 'phone', 'external_id', 'channel_handle'] as const;

/** Every way to recognise one customer; unique per account, so one address can never belong to two people. */
export const customerIdentities = pgTable(
  'customer_identities',
  {
    id: id(),
    accountId: accountId(),
    customerId: uuid()
      .notNull()
      .references(() => customers.id),
    kind: text().notNull(),
    /** Normalised: lower-cased email, E.164 phone, trimmed id or handle. */
    value: text().notNull(),
    /** Only for channel handles, which are unique within one channel. */
    channelId: uuid().references(() => channels.id),
    verified: boolean().notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    unique('customer_identities_unique').on(t.accountId, t.kind, t.value, t.channelId).nullsNotDistinct(),
    index('customer_identities_customer_idx').on(t.accountId, t.customerId),
    check('customer_identities_kind_check', sql.raw(`kind in ('email','phone','external_id','channel_handle')`)),
    tenantPolicy(),
  ],
);

/** Why two profiles look like one person: the identity they share and where the evidence came from. */
export interface MergeSuggestionReason {
  kind: string;
  value: string;
  /** What produced the evidence: `webchat.prechat`, `customers.resolve`, ... */
  source: string;
  at: string;
}

export const MERGE_SUGGESTION_STATUSES = ['open', 'merged', 'dismissed'] as const;

/**
 * Two profiles that demonstrably share an identity (see docs/channels.md, "One customer"). An agent merges or
 * dismisses; nothing merges on its own. At most one open suggestion per pair, whichever way round.
 */
export const customerMergeSuggestions = pgTable(
  'customer_merge_suggestions',
  {
    id: id(),
    accountId: accountId(),
    /** The profile the evidence arrived on (e.g. the visitor who typed the email). */
    customerId: uuid()
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /** The profile that already owns the shared identity. */
    candidateId: uuid()
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    reasons: jsonb().$type<MergeSuggestionReason[]>().notNull().default([]),
    status: text().notNull().default('open'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    decidedAt: ts(),
    decidedByUserId: uuid().references(() => users.id),
  },
  (t) => [
    uniqueIndex('customer_merge_suggestions_open_pair_key')
      .on(t.accountId, sql`least(${t.customerId}, ${t.candidateId})`, sql`greatest(${t.customerId}, ${t.candidateId})`)
      .where(sql`status = 'open'`),
    index('customer_merge_suggestions_account_status_idx').on(t.accountId, t.status, t.createdAt, t.id),
    index('customer_merge_suggestions_customer_idx').on(t.accountId, t.customerId),
    index('customer_merge_suggestions_candidate_idx').on(t.accountId, t.candidateId),
    check('customer_merge_suggestions_status_check', sql.raw(`status in ('open','merged','dismissed')`)),
    check('customer_merge_suggestions_distinct_check', sql`customer_id <> candidate_id`),
    tenantPolicy(),
  ],
);

/**
 * Internal notes about a customer (not about one conversation): staff only, never shown to the customer. They
 * appear on the customer's timeline; the author or a supervisor+ may delete one. A merge moves them to the survivor.
 */
export const customerNotes = pgTable(
  'customer_notes',
  {
    id: id(),
    accountId: accountId(),
    customerId: uuid()
      .notNull()
      .references(() => customers.id),
    /** Null when an API key wrote it. */
    authorUserId: uuid().references(() => users.id),
    body: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('customer_notes_customer_idx').on(t.accountId, t.customerId, t.createdAt, t.id), tenantPolicy()],
);
