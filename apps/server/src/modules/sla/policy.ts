import { definePolicy, isAtLeast } from '../../platform/authz';

/** Calendars and SLA policies: every staff role reads them, admins and owners change them. */
export const slaSettingsPolicy = definePolicy<{ accountId: string }, 'read' | 'manage'>({
  read: (a, s) => a.accountId === s.accountId && isAtLeast(a, 'analyst'),
  manage: (a, s) => a.accountId === s.accountId && isAtLeast(a, 'admin'),
});
