/**
 * API calls and types of the People settings (users, invitations, teams, skills, agent proficiencies) and of
 * the invitation page. Entity types come from the shared contracts as types only (no zod in the bundle).
 */
import type { ApiKey, Invitation, Role, Team, TeamRouting as SharedTeamRouting, User } from '@touchpoint/shared';
import { api } from '../../../api/client';
import type { Envelope, Page } from '../../../api/types';

export type { ApiKey, Invitation, Role, Team, User };

/** Mirrors ROLES / ROLE_RANK of packages/shared (kept local: importing the values would pull zod in). */
export const ROLES: readonly Role[] = ['owner', 'admin', 'supervisor', 'agent', 'analyst'];
const RANK: Record<Role, number> = { analyst: 1, agent: 2, supervisor: 3, admin: 4, owner: 5 };

/** Roles a person may hand out (to a member, an invitation or an API key): up to their own; the server decides. */
export function grantableRoles(own: Role): Role[] {
  return ROLES.filter((r) => RANK[r] <= RANK[own]);
}

/** People who take conversations (analysts only read). */
export const takesConversations = (role: Role) => RANK[role] >= RANK.agent;

// ---- users ----

export const USERS_PAGE = 50;

export const users = {
  page: (cursor?: string) => api.get<Page<User>>('/users', { limit: USERS_PAGE, cursor }),
  update: (id: string, body: { role?: Role; active?: boolean }) => api.patch<Envelope<User>>(`/users/${id}`, body),
  /** Every member, page after page (pickers need the whole list; accounts have hundreds at most). */
  all: async (): Promise<User[]> => {
    const out: User[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 40; i++) {
      const res = await api.get<Page<User>>('/users', { limit: 100, cursor });
      out.push(...res.data);
      if (!res.page.nextCursor) break;
      cursor = res.page.nextCursor;
    }
    return out;
  },
};

// ---- invitations ----

export interface CreatedInvitation {
  invitation: Invitation;
  token: string;
  /** `${PUBLIC_URL}/invite/<token>`; relative when the server has no PUBLIC_URL. */
  acceptUrl: string;
}

export interface AcceptedInvitation {
  user: { id: string; name: string; email: string };
  account: { id: string; name: string; slug: string; timeZone: string };
  role: Role;
}

export const invitations = {
  page: (cursor?: string) => api.get<Page<Invitation>>('/invitations', { limit: 50, cursor }),
  create: (body: { email: string; role: Role; teamIds?: string[] }) => api.post<Envelope<CreatedInvitation>>('/invitations', body),
  revoke: (id: string) => api.delete<void>(`/invitations/${id}`),
  /** Public: joins the account and sets the session cookie. */
  accept: (body: { token: string; name?: string; password: string }) => api.post<Envelope<AcceptedInvitation>>('/invitations/accept', body),
};

/** An absolute link to share, whatever PUBLIC_URL the server has. */
export function absoluteUrl(url: string): string {
  try {
    return new URL(url, window.location.origin).toString();
  } catch {
    return url;
  }
}

// ---- teams ----

export const teams = {
  all: async (): Promise<{ data: Team[]; policies: NonNullable<Page<Team>['policies']> }> => {
    const data: Team[] = [];
    const policies: NonNullable<Page<Team>['policies']> = [];
    let cursor: string | undefined;
    for (let i = 0; i < 20; i++) {
      const res = await api.get<Page<Team>>('/teams', { limit: 100, cursor });
      data.push(...res.data);
      policies.push(...(res.policies ?? []));
      if (!res.page.nextCursor) break;
      cursor = res.page.nextCursor;
    }
    return { data, policies };
  },
  create: (body: { name: string; description?: string }) => api.post<Envelope<Team>>('/teams', body),
  update: (id: string, body: { name?: string; description?: string }) => api.patch<Envelope<Team>>(`/teams/${id}`, body),
  remove: (id: string) => api.delete<void>(`/teams/${id}`),
  addMember: (id: string, userId: string) => api.put<Envelope<Team>>(`/teams/${id}/members/${userId}`, {}),
  removeMember: (id: string, userId: string) => api.delete<Envelope<Team>>(`/teams/${id}/members/${userId}`),
};

// ---- team routing ----

export type RoutingPolicy = SharedTeamRouting['policy'];
export const ROUTING_POLICIES: readonly RoutingPolicy[] = ['skills', 'round_robin', 'least_loaded'];
export type WeightKind = 'web' | 'chat' | 'messaging' | 'email' | 'voice' | 'api';
export const WEIGHT_KINDS: readonly WeightKind[] = ['web', 'chat', 'messaging', 'email', 'voice', 'api'];
/** Mirrors DEFAULT_WEIGHTS: one call fills an agent, a chat a third, an email or API ticket a tenth. */
export const DEFAULT_WEIGHTS: Record<WeightKind, number> = { voice: 1, web: 1 / 3, chat: 1 / 3, messaging: 1 / 3, email: 0.1, api: 0.1 };

/** What happens to an agent's conversations when they go offline or away. */
export interface OfflineConversations {
  mode: 'keep' | 'requeue';
  graceMinutes: number;
}

export type TeamRouting = SharedTeamRouting & { offlineConversations?: OfflineConversations };
export type TeamRoutingBody = Partial<Pick<TeamRouting, 'maxLoad' | 'policy' | 'offerTimeoutSeconds'>> & {
  offlineConversations?: Partial<OfflineConversations>;
  weights?: Partial<Record<WeightKind, number>>;
};

export const teamRouting = {
  get: (teamId: string) => api.get<Envelope<TeamRouting>>(`/teams/${teamId}/routing`),
  put: (teamId: string, body: TeamRoutingBody) => api.put<Envelope<TeamRouting>>(`/teams/${teamId}/routing`, body),
};

// ---- skills and proficiencies ----

export interface Skill {
  id: string;
  name: string;
  createdAt: string;
}

export interface RoutingProfile {
  userId: string;
  skills: { skillId: string; name: string; proficiency: number }[];
  languages: string[];
}

export const skills = {
  list: () => api.get<{ data: Skill[] }>('/skills'),
  create: (name: string) => api.post<Envelope<Skill>>('/skills', { name }),
  remove: (id: string) => api.delete<void>(`/skills/${id}`),
  profile: (userId: string) => api.get<Envelope<RoutingProfile>>(`/users/${userId}/routing-profile`),
  setProfile: (userId: string, body: { skills: { skillId: string; proficiency: number }[]; languages: string[] }) =>
    api.put<Envelope<RoutingProfile>>(`/users/${userId}/routing-profile`, body),
};

/** Query keys of these screens, so one screen's change refreshes the others. */
export const keys = {
  users: ['settings', 'users'] as const,
  allUsers: ['settings', 'users', 'all'] as const,
  invitations: ['settings', 'invitations'] as const,
  teams: ['settings', 'teams'] as const,
  teamRouting: (teamId: string) => ['settings', 'team-routing', teamId] as const,
  skills: ['settings', 'skills'] as const,
  profile: (userId: string) => ['settings', 'skills', 'profile', userId] as const,
};
