import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { accountId, createdAt, id, tenantPolicy, ts, updatedAt } from './columns';

export const CHANNEL_KINDS = ['api', 'web', 'email', 'sms', 'whatsapp', 'messenger', 'instagram', 'telegram', 'voice', 'other'] as const;

/** A way customers reach the account. The channel adapters (web chat, email, messaging, voice) configure it. */
export const channels = pgTable(
  'channels',
  {
    id: id(),
    accountId: accountId(),
    kind: text().notNull(),
    name: text().notNull(),
    config: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** HMAC-SHA256 key of this channel's signed webhooks, both ways (inbound from a provider, outbound to it). */
    webhookSecret: text()
      .notNull()
      // Two v4 UUIDs: 244 bits from pg_strong_random, in core PostgreSQL (and PGlite) without pgcrypto.
      .default(sql`replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')`),
    /** Enabled: takes customers' messages and delivers replies. Presented as `enabled` (docs/channels.md#managing-channels). */
    active: boolean().notNull().default(true),
    /** Archived (deleted by an admin): gone from lists, no intake, `active` false; its conversations stay readable. */
    archivedAt: ts(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('channels_account_kind_idx').on(t.accountId, t.kind),
    check('channels_kind_check', sql.raw(`kind in (${CHANNEL_KINDS.map((k) => `'${k}'`).join(',')})`)),
    tenantPolicy(),
  ],
);
