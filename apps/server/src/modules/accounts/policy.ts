import { ROLE_RANK, type AccountAbility, type Role } from '@touchpoint/shared';
import { definePolicy, isAtLeast, type Policy } from '../../platform/authz';
import { roleOf, type Actor } from '../../platform/context';

/**
 * The role matrix, written once: the least role that has each account-wide ability. Other modules and the UI
 * (through GET /me `policies`) read abilities from here instead of comparing roles themselves.
 */
export const MIN_ROLE: Record<AccountAbility, Role> = {
  read: 'analyst',
  view_channels: 'agent',
  create_customers: 'agent',
  create_conversations: 'agent',
  reply: 'agent',
  add_notes: 'agent',
  assign: 'agent',
  merge_customers: 'supervisor',
  manage_team_members: 'supervisor',
  manage_automation: 'supervisor',
  manage_shared_macros: 'supervisor',
  manage_users: 'admin',
  manage_teams: 'admin',
  manage_api_keys: 'admin',
  manage_channels: 'admin',
  view_failed_jobs: 'admin',
  manage_account: 'admin',
  manage_routing: 'admin',
  manage_sla: 'admin',
  manage_owners: 'owner',
};

export interface AccountSubject {
  accountId: string;
}

const inAccount = (actor: Actor, subject: { accountId: string }) => actor.accountId === subject.accountId;

export const accountPolicy = Object.fromEntries(
  (Object.keys(MIN_ROLE) as AccountAbility[]).map((ability) => [
    ability,
    (actor: Actor, subject: AccountSubject) => inAccount(actor, subject) && isAtLeast(actor, MIN_ROLE[ability]),
  ]),
) as Policy<AccountSubject, AccountAbility>;

/** A role may hand out (to a person, an invitation or an API key) only roles up to its own. */
export function mayGrant(actor: Actor, role: Role): boolean {
  const own = roleOf(actor);
  return own !== null && ROLE_RANK[role] <= ROLE_RANK[own];
}

export interface MemberSubject {
  accountId: string;
  userId: string;
  role: Role;
}

/** Admins manage supervisors, agents and analysts; only owners change admins and owners. */
export const memberPolicy = definePolicy<MemberSubject, 'update'>({
  update: (actor, m) =>
    inAccount(actor, m) && isAtLeast(actor, 'admin') && (isAtLeast(actor, 'owner') || ROLE_RANK[m.role] < ROLE_RANK.admin),
});

export interface ApiKeySubject {
  accountId: string;
  role: Role;
}

/** Keys act with their role, so managing one needs at least that role. */
export const apiKeyPolicy = definePolicy<ApiKeySubject, 'revoke'>({
  revoke: (actor, k) => inAccount(actor, k) && isAtLeast(actor, 'admin') && mayGrant(actor, k.role),
});

export const teamPolicy = definePolicy<{ accountId: string }, 'update' | 'delete' | 'manage_members'>({
  update: (actor, t) => accountPolicy.manage_teams(actor, t),
  delete: (actor, t) => accountPolicy.manage_teams(actor, t),
  manage_members: (actor, t) => accountPolicy.manage_team_members(actor, t),
});
