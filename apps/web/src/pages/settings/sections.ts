import type { ComponentType } from 'react';

/**
 * The settings screens, in the order the sidebar lists them. `ability` is an account ability from GET /me
 * `policies` (the server decides who may do what); a section the role lacks is not listed. Each screen is its
 * own lazily loaded chunk.
 */
export interface SettingsSection {
  key: string;
  label: string;
  group: 'Workspace' | 'People' | 'Conversations' | 'Automation' | 'Developers';
  ability: string;
  load: () => Promise<{ default: ComponentType }>;
}

export const SECTIONS: SettingsSection[] = [
  { key: 'account', label: 'Account', group: 'Workspace', ability: 'read', load: () => import('./account-section') },
  { key: 'profile', label: 'My preferences', group: 'Workspace', ability: 'read', load: () => import('./profile-section') },
  { key: 'users', label: 'Users and invitations', group: 'People', ability: 'manage_users', load: () => import('./users-section') },
  { key: 'teams', label: 'Teams', group: 'People', ability: 'manage_team_members', load: () => import('./teams-section') },
  { key: 'skills', label: 'Skills', group: 'People', ability: 'manage_routing', load: () => import('./skills-section') },
  { key: 'channels', label: 'Channels', group: 'Conversations', ability: 'view_channels', load: () => import('./channels-section') },
  { key: 'routing', label: 'Routing', group: 'Conversations', ability: 'manage_routing', load: () => import('./routing-section') },
  {
    key: 'business-hours',
    label: 'Business hours',
    group: 'Conversations',
    ability: 'manage_sla',
    load: () => import('./business-hours-section'),
  },
  { key: 'sla', label: 'SLA policies', group: 'Conversations', ability: 'manage_sla', load: () => import('./sla-section') },
  { key: 'macros', label: 'Macros', group: 'Automation', ability: 'reply', load: () => import('./macros-section') },
  {
    key: 'automation',
    label: 'Automation rules',
    group: 'Automation',
    ability: 'manage_automation',
    load: () => import('./automation-section'),
  },
  { key: 'api-keys', label: 'API keys', group: 'Developers', ability: 'manage_api_keys', load: () => import('./api-keys-section') },
  {
    key: 'failed-jobs',
    label: 'Failed jobs',
    group: 'Developers',
    ability: 'view_failed_jobs',
    load: () => import('./failed-jobs-section'),
  },
];
