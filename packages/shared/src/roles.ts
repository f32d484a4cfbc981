export const ROLES = ['owner', 'admin', 'supervisor', 'agent', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Rank for "at least" checks. Analysts read reports and conversations but never act on them, so they rank
 * below agents; the settings UI reads this matrix, the server remains the authority.
 */
export const ROLE_RANK: Record<Role, number> = { analyst: 1, agent: 2, supervisor: 3, admin: 4, owner: 5 };
