import type { Account, AccountDetails, AccountSettings, ApiKey, Invitation, Role, Team, User } from '@touchpoint/shared';
import type { accounts, apiKeys, invitations, teams } from '../../db/schema';

type AccountRow = typeof accounts.$inferSelect;
type InvitationRow = typeof invitations.$inferSelect;
type TeamRow = typeof teams.$inferSelect;
type ApiKeyRow = typeof apiKeys.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentAccount(a: Pick<AccountRow, 'id' | 'name' | 'slug' | 'timeZone'>): Account {
  return { id: a.id, name: a.name, slug: a.slug, timeZone: a.timeZone };
}

export function presentUserSummary(u: { id: string; name: string; email: string }) {
  return { id: u.id, name: u.name, email: u.email };
}

export interface MemberRow {
  userId: string;
  name: string;
  email: string;
  role: string;
  active: boolean;
  lastLoginAt: Date | null;
  joinedAt: Date;
  teams: { id: string; name: string }[];
}

export function presentMember(m: MemberRow): User {
  return {
    id: m.userId,
    name: m.name,
    email: m.email,
    role: m.role as Role,
    active: m.active,
    teams: m.teams,
    lastLoginAt: iso(m.lastLoginAt),
    joinedAt: m.joinedAt.toISOString(),
  };
}

export function invitationStatus(i: InvitationRow, now = new Date()): Invitation['status'] {
  if (i.acceptedAt) return 'accepted';
  if (i.revokedAt) return 'revoked';
  return i.expiresAt <= now ? 'expired' : 'pending';
}

export function presentInvitation(i: InvitationRow): Invitation {
  return {
    id: i.id,
    email: i.email,
    role: i.role as Role,
    teamIds: i.teamIds,
    status: invitationStatus(i),
    invitedById: i.invitedById,
    expiresAt: i.expiresAt.toISOString(),
    acceptedAt: iso(i.acceptedAt),
    revokedAt: iso(i.revokedAt),
    createdAt: i.createdAt.toISOString(),
  };
}

export function presentTeam(t: TeamRow, memberIds: string[]): Team {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    memberIds,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

export function presentApiKey(k: ApiKeyRow): ApiKey {
  return {
    id: k.id,
    name: k.name,
    role: k.role as Role,
    prefix: k.prefix,
    createdById: k.createdById,
    lastUsedAt: iso(k.lastUsedAt),
    expiresAt: iso(k.expiresAt),
    revokedAt: iso(k.revokedAt),
    createdAt: k.createdAt.toISOString(),
  };
}

/** `accounts.settings` as the API shows it: only the documented keys, with their defaults. */
export function presentAccountSettings(settings: Record<string, unknown>): AccountSettings {
  return { availableOnOpen: settings.availableOnOpen !== false };
}

export function presentAccountDetails(a: AccountRow): AccountDetails {
  return {
    ...presentAccount(a),
    settings: presentAccountSettings(a.settings),
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}
