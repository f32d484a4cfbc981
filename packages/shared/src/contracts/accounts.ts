import { z } from 'zod';
import { ROLES } from '../roles';
import { envelope, pageEnvelope, ZTimeZone } from './common';
import { ZEmailChannelConfig, ZEmailImapStatus } from './email';
import { isMessagingChannelKind, ZApiChannelConfig, ZMessagingChannelConfig } from './messaging';
import { ZWebChannelConfig } from './webchat';

// API contracts of the accounts module (auth, users, invitations, teams, API keys) and of channels:
// zod schemas shared by the server (validation + OpenAPI) and the web client. Dates are ISO strings.

export const ZRole = z.enum(ROLES);

/** Stored lower-cased; the format check keeps obvious typos out, the invitation flow proves ownership. */
export const ZEmail = z.email().max(254);
/** Bounded so a megabyte "password" cannot make argon2 the bottleneck of the login route. */
export const ZPassword = z.string().min(10, 'Use at least 10 characters').max(256);
const ZName = z.string().trim().min(1).max(120);

export const ZSignUpBody = z.object({
  accountName: ZName,
  name: ZName,
  email: ZEmail,
  password: ZPassword,
});
export type SignUpBody = z.infer<typeof ZSignUpBody>;

export const ZLoginBody = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(256),
  /** Slug of the account to enter when the person belongs to several; defaults to the oldest membership. */
  account: z.string().max(64).optional(),
});
export type LoginBody = z.infer<typeof ZLoginBody>;

export const ZUserSummary = z.object({ id: z.string(), name: z.string(), email: z.string() });
export const ZAccount = z.object({ id: z.string(), name: z.string(), slug: z.string(), timeZone: z.string() });
export type Account = z.infer<typeof ZAccount>;

/** What sign-up, login and accepting an invitation answer (the session itself travels as a cookie). */
export const ZAuthResult = z.object({ user: ZUserSummary, account: ZAccount, role: ZRole });
export const ZAuthEnvelope = envelope(ZAuthResult);
export type AuthResult = z.infer<typeof ZAuthResult>;

export const ZMe = z.object({
  /** Null when the caller is an API key rather than a person. */
  user: ZUserSummary.nullable(),
  account: ZAccount,
  role: ZRole,
  teamIds: z.array(z.string()),
});
export const ZMeEnvelope = envelope(ZMe);
export type Me = z.infer<typeof ZMe>;

/** Abilities the UI reads from `policies[0]` of GET /me (the server stays the authority). */
export const ACCOUNT_ABILITIES = [
  'read',
  'view_channels',
  'create_customers',
  'create_conversations',
  'reply',
  'add_notes',
  'assign',
  'merge_customers',
  'manage_team_members',
  'manage_automation',
  'manage_shared_macros',
  'manage_users',
  'manage_teams',
  'manage_api_keys',
  'manage_channels',
  'view_failed_jobs',
  'manage_account',
  'manage_routing',
  'manage_sla',
  'manage_owners',
] as const;
export type AccountAbility = (typeof ACCOUNT_ABILITIES)[number];

// ---- users (members of the account) ----

export const ZUser = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: ZRole,
  active: z.boolean(),
  teams: z.array(z.object({ id: z.string(), name: z.string() })),
  lastLoginAt: z.string().nullable(),
  joinedAt: z.string(),
});
export type User = z.infer<typeof ZUser>;
export const ZUserEnvelope = envelope(ZUser);
export const ZUserPage = pageEnvelope(ZUser);

export const ZUpdateUserBody = z
  .object({ role: ZRole.optional(), active: z.boolean().optional() })
  .strict()
  .refine((b) => b.role !== undefined || b.active !== undefined, 'Send role and/or active');
export type UpdateUserBody = z.infer<typeof ZUpdateUserBody>;

/** What a person may change about themselves (`PATCH /me`). */
export const ZUpdateMeBody = z.object({ name: ZName }).strict();
export type UpdateMeBody = z.infer<typeof ZUpdateMeBody>;

// ---- invitations ----

export const ZInvitationStatus = z.enum(['pending', 'accepted', 'revoked', 'expired']);
export const ZInvitation = z.object({
  id: z.string(),
  email: z.string(),
  role: ZRole,
  teamIds: z.array(z.string()),
  status: ZInvitationStatus,
  invitedById: z.string().nullable(),
  expiresAt: z.string(),
  acceptedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Invitation = z.infer<typeof ZInvitation>;
export const ZInvitationPage = pageEnvelope(ZInvitation);

export const ZCreateInvitationBody = z.object({
  email: ZEmail,
  role: ZRole,
  teamIds: z.array(z.uuid()).max(50).optional(),
});
export type CreateInvitationBody = z.infer<typeof ZCreateInvitationBody>;

/** The token is shown once: only its hash is stored. */
export const ZCreatedInvitation = z.object({ invitation: ZInvitation, token: z.string(), acceptUrl: z.string() });
export const ZCreatedInvitationEnvelope = envelope(ZCreatedInvitation);

export const ZAcceptInvitationBody = z.object({
  token: z.string().min(20).max(200),
  /** Required when the invitation creates a new person; ignored when it joins an existing one. */
  name: ZName.optional(),
  /** A new person's password, or an existing person's current password (proves it is them). */
  password: z.string().min(1).max(256),
});
export type AcceptInvitationBody = z.infer<typeof ZAcceptInvitationBody>;

// ---- teams ----

export const ZTeam = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  memberIds: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Team = z.infer<typeof ZTeam>;
export const ZTeamEnvelope = envelope(ZTeam);
export const ZTeamPage = pageEnvelope(ZTeam);

export const ZCreateTeamBody = z.object({ name: ZName, description: z.string().max(2000).optional() });
export type CreateTeamBody = z.infer<typeof ZCreateTeamBody>;
export const ZUpdateTeamBody = z
  .object({ name: ZName.optional(), description: z.string().max(2000).optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.description !== undefined, 'Send name and/or description');
export type UpdateTeamBody = z.infer<typeof ZUpdateTeamBody>;
export const ZTeamMemberParams = z.object({ id: z.uuid(), userId: z.uuid() });

// ---- API keys ----

export const ZApiKey = z.object({
  id: z.string(),
  name: z.string(),
  role: ZRole,
  prefix: z.string(),
  createdById: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ApiKey = z.infer<typeof ZApiKey>;
export const ZApiKeyPage = pageEnvelope(ZApiKey);

export const ZCreateApiKeyBody = z.object({ name: ZName, role: ZRole, expiresAt: z.iso.datetime({ offset: true }).optional() });
export type CreateApiKeyBody = z.infer<typeof ZCreateApiKeyBody>;
/** `secret` (`tp_<prefix>_<secret>`) is shown once: only its hash is stored. */
export const ZCreatedApiKey = ZApiKey.extend({ secret: z.string() });
export const ZCreatedApiKeyEnvelope = envelope(ZCreatedApiKey);

// ---- channels ----

export const CHANNEL_KINDS = ['api', 'web', 'email', 'sms', 'whatsapp', 'messenger', 'instagram', 'telegram', 'voice', 'other'] as const;
export const ZChannelKind = z.enum(CHANNEL_KINDS);
export type ChannelKind = z.infer<typeof ZChannelKind>;

export const ZChannel = z.object({
  id: z.string(),
  kind: ZChannelKind,
  name: z.string(),
  config: z.record(z.string(), z.unknown()),
  /** The same as `enabled` (kept for older clients). */
  active: z.boolean(),
  /** Takes customers' messages and delivers replies; `PATCH /channels/:id {enabled}` (docs/channels.md#managing-channels). */
  enabled: z.boolean(),
  /** When an admin deleted (archived) it; archived channels are left out of lists, so this is null there. */
  archivedAt: z.string().nullable(),
  /** Key of the channel's signed webhooks (docs/channels.md); only in the answers to creating it and rotating it. */
  webhookSecret: z.string().optional(),
  /** Email channels with `config.imap`: how polling the mailbox went (docs/channels.md#email-in-imap-polling); only to admins. */
  imapStatus: ZEmailImapStatus.optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Channel = z.infer<typeof ZChannel>;
export const ZChannelEnvelope = envelope(ZChannel);
export const ZChannelPage = pageEnvelope(ZChannel);

export const ZCreateChannelBody = z
  .object({
    kind: ZChannelKind,
    name: ZName,
    config: z
      .record(z.string().max(100), z.unknown())
      .refine((c) => JSON.stringify(c).length <= 16_384, 'config must be at most 16 KB of JSON')
      .optional(),
  })
  // Messaging and api channels deliver replies to config.outboundUrl: a typo there should fail now, not at the first
  // reply. Optional for both (inbound-only messaging; an api channel without one simply gets no reply webhook).
  .superRefine((b, ctx) => {
    // A web channel's pre-chat form and greeting are shown to every visitor: a malformed one should fail here too.
    // An email channel's address and IMAP mailbox likewise (a bad mailbox config should not wait for the first poll).
    if (!isMessagingChannelKind(b.kind) && b.kind !== 'api' && b.kind !== 'web' && b.kind !== 'email') return;
    const schema =
      b.kind === 'web'
        ? ZWebChannelConfig
        : b.kind === 'email'
          ? ZEmailChannelConfig
          : b.kind === 'api'
            ? ZApiChannelConfig
            : ZMessagingChannelConfig;
    const parsed = schema.safeParse(b.config ?? {});
    for (const issue of parsed.error?.issues ?? [])
      ctx.addIssue({ code: 'custom', path: ['config', ...issue.path], message: issue.message });
  });
export type CreateChannelBody = z.infer<typeof ZCreateChannelBody>;

// ---- account settings (GET / PATCH /account) ----

/** Per-account switches; stored in `accounts.settings` (jsonb) under these exact keys. */
export const ZAccountSettings = z.object({
  /** An agent who opens the workspace becomes available (GET /presence/me); default true. */
  availableOnOpen: z.boolean(),
});
export type AccountSettings = z.infer<typeof ZAccountSettings>;

export const ZAccountDetails = ZAccount.extend({ settings: ZAccountSettings, createdAt: z.string(), updatedAt: z.string() });
export type AccountDetails = z.infer<typeof ZAccountDetails>;
export const ZAccountDetailsEnvelope = envelope(ZAccountDetails);

export const ZUpdateAccountBody = z
  .object({
    name: ZName.optional(),
    timeZone: ZTimeZone.optional(),
    settings: z.object({ availableOnOpen: z.boolean().optional() }).strict().optional(),
  })
  .strict()
  .refine((b) => b.name !== undefined || b.timeZone !== undefined || b.settings !== undefined, 'Send name, timeZone and/or settings');
export type UpdateAccountBody = z.infer<typeof ZUpdateAccountBody>;

// ---- auth options (public) ----

/** What the login page needs before anyone signs in: may a visitor create an account (SIGNUP)? */
export const ZAuthOptions = z.object({ signup: z.boolean() });
export type AuthOptions = z.infer<typeof ZAuthOptions>;
export const ZAuthOptionsEnvelope = envelope(ZAuthOptions);
