import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_ATTACHMENT_MAX_BYTES, DEFAULT_ATTACHMENT_TYPES } from '@touchpoint/shared';

/**
 * The only reader of process.env. Every setting is documented in README.md ("Configuration").
 */
const ZConfig = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.string().url().optional(),
  TRUST_PROXY: z
    .string()
    .default('false')
    .describe('Trust X-Forwarded-* from a reverse proxy: false, true, a hop count, or comma-separated proxy IPs/CIDRs'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_PREPARED_STATEMENTS: z
    .enum(['on', 'off'])
    .default('on')
    .describe('Named prepared statements per connection; off behind a transaction-pooling PgBouncer older than 1.21'),
  DATA_DIR: z.string().default('./data'),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .default(24 * 14),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto').describe('Secure flag on the session cookie; auto = on in production'),
  LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCKOUT_MINUTES: z.coerce.number().int().min(1).default(15),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WORKER: z.enum(['on', 'off']).default('on').describe('Run job workers in this process'),
  SEED_DEMO: z
    .enum(['auto', 'on', 'off'])
    .default('auto')
    .describe('Demo account at boot: auto = when the database has no account, except in production; on = always (if missing); off = never'),
  SIGNUP: z.enum(['on', 'off']).default('on').describe('Let anyone create an account with POST /auth/signup (off: 403 signup_disabled)'),
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: z
    .enum(['on', 'off'])
    .default('off')
    .describe('Let webhooks, channel deliveries and IMAP mailboxes reach loopback and private addresses (off: only public ones)'),
  // An empty value means unset (not port 0, which would start the intake on a random port).
  SMTP_PORT: z
    .preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).max(65535).optional())
    .describe('Port of the SMTP intake for inbound email (unset: no intake; 0: any free port)'),
  SMTP_HOST: z.string().default('0.0.0.0').describe('Interface the SMTP intake listens on'),
  SMTP_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024)
    .describe('Largest inbound mail the SMTP intake accepts (advertised as SIZE, larger mail is refused at DATA)'),
  ATTACHMENTS_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(DEFAULT_ATTACHMENT_MAX_BYTES)
    .describe('Largest file a customer or agent may attach (bytes); larger email attachments are listed but not stored'),
  ATTACHMENTS_ALLOWED_TYPES: z
    .string()
    .optional()
    .transform((v) =>
      v && v.trim()
        ? v
            .split(',')
            .map((t) => t.trim().toLowerCase())
            .filter(Boolean)
        : [...DEFAULT_ATTACHMENT_TYPES],
    )
    .pipe(
      z.array(
        z.string().regex(/^[a-z0-9.+-]+\/([a-z0-9.+-]+|\*)$/, 'ATTACHMENTS_ALLOWED_TYPES lists media types like image/png or image/*'),
      ),
    )
    .describe('Comma-separated media types that may be attached (image/* allowed); default: images, PDF, text, office files, zip'),
  SMTP_RELAY_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'SMTP_RELAY_URL must start with smtp:// or smtps://')
    .optional()
    .describe('Relay for outgoing email, e.g. smtp://user:pass@host:587 (unset: mail goes to the development outbox)'),
  SMTP_TLS_KEY_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('PEM private key for STARTTLS on the SMTP intake (with SMTP_TLS_CERT_FILE; unset: plain SMTP only)'),
  SMTP_TLS_CERT_FILE: z.string().min(1).optional().describe('PEM certificate (chain) for STARTTLS on the SMTP intake'),
});

export type Config = z.infer<typeof ZConfig> & {
  dataDir: string;
  databaseKind: 'pglite' | 'postgres';
  trustProxy: boolean | number | string[];
};

/** Off by default: a server exposed directly must not let clients pick their own IP (rate limits key on it). */
function parseTrustProxy(v: string): boolean | number | string[] {
  if (v === 'true') return true;
  if (v === 'false' || v === '') return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ZConfig.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (!c.SMTP_TLS_KEY_FILE !== !c.SMTP_TLS_CERT_FILE)
    throw new Error('Invalid configuration:\n  SMTP_TLS_KEY_FILE, SMTP_TLS_CERT_FILE: set both (STARTTLS on the SMTP intake) or neither');
  return {
    ...c,
    dataDir: path.resolve(c.DATA_DIR),
    databaseKind: c.DATABASE_URL ? 'postgres' : 'pglite',
    trustProxy: parseTrustProxy(c.TRUST_PROXY),
  };
}
