import { definePolicy, isAtLeast, isStaff } from '../../platform/authz';
import type { Actor } from '../../platform/context';

export interface MacroSubject {
  accountId: string;
  visibility: string;
  ownerUserId: string | null;
}

const sameAccount = (a: Actor, s: { accountId: string }) => a.accountId === s.accountId;
const isOwner = (a: Actor, m: MacroSubject) => a.kind === 'user' && m.ownerUserId === a.userId;

/**
 * Personal macros belong to one person (only they see and edit them); shared macros are visible to all staff
 * and curated by supervisors and above.
 */
export const macroPolicy = definePolicy<MacroSubject, 'read' | 'update' | 'delete' | 'apply'>({
  read: (a, m) => sameAccount(a, m) && isStaff(a) && (m.visibility === 'shared' || isOwner(a, m)),
  update: (a, m) => sameAccount(a, m) && (m.visibility === 'shared' ? isAtLeast(a, 'supervisor') : isOwner(a, m) && isAtLeast(a, 'agent')),
  delete: (a, m) => sameAccount(a, m) && (m.visibility === 'shared' ? isAtLeast(a, 'supervisor') : isOwner(a, m) && isAtLeast(a, 'agent')),
  apply: (a, m) => sameAccount(a, m) && isAtLeast(a, 'agent') && (m.visibility === 'shared' || isOwner(a, m)),
});

/** Who may create a macro of this visibility (personal macros need a person to own them). */
export function canCreateMacro(a: Actor, visibility: string): boolean {
  if (visibility === 'shared') return isAtLeast(a, 'supervisor');
  return a.kind === 'user' && isAtLeast(a, 'agent');
}

/** Rules act on every conversation of the account: staff read them, supervisors and above manage them. */
export const rulePolicy = definePolicy<{ accountId: string }, 'read' | 'manage'>({
  read: (a, r) => sameAccount(a, r) && isStaff(a),
  manage: (a, r) => sameAccount(a, r) && isAtLeast(a, 'supervisor'),
});
