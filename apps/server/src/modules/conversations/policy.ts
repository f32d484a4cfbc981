import { definePolicy, isAtLeast, isStaff } from '../../platform/authz';
import type { Actor } from '../../platform/context';

/** What a policy needs to know about a conversation (every conversation of the account is visible to staff). */
export interface ConversationSubject {
  accountId: string;
  customerId: string;
}

const sameAccount = (a: Actor, c: { accountId: string }) => a.accountId === c.accountId;
/** Automation rules, the assistant and system jobs act through the same commands as people. */
const isAutomated = (a: Actor) => a.kind === 'automation' || a.kind === 'system';
/** Agents and above act on conversations; analysts only read. */
const canWork = (a: Actor, c: ConversationSubject) => sameAccount(a, c) && (isAtLeast(a, 'agent') || isAutomated(a));

export const conversationPolicy = definePolicy<
  ConversationSubject,
  'read' | 'reply' | 'note' | 'update' | 'change_status' | 'assign' | 'tag'
>({
  read: (a, c) => sameAccount(a, c) && isStaff(a),
  reply: canWork,
  note: canWork,
  update: canWork,
  change_status: canWork,
  assign: canWork,
  tag: canWork,
});

/** Lists and search: staff see every conversation of their account. */
export const canReadConversations = (a: Actor) => isStaff(a);

/** Creating needs no existing subject: agents and above may start conversations. */
export const canCreateConversation = (a: Actor) => isAtLeast(a, 'agent') || isAutomated(a);

/**
 * Who may record a message from the customer: staff importing it (API integrations, agents logging a call)
 * or the customer themself (widget sessions, later), and automation/system for channel intake.
 */
export function canPostAsCustomer(a: Actor, c: ConversationSubject): boolean {
  if (!sameAccount(a, c)) return false;
  if (a.kind === 'customer') return a.customerId === c.customerId;
  return isAtLeast(a, 'agent') || isAutomated(a);
}

/** What the saved-view policy looks at. */
export interface SavedViewSubject {
  accountId: string;
  shared: boolean;
  ownerUserId: string | null;
}

const ownsView = (a: Actor, v: SavedViewSubject) => a.kind === 'user' && v.ownerUserId === a.userId;

/**
 * Saved views: a personal one is its owner's alone (others do not see it at all); shared ones are visible to all
 * staff and curated by supervisors and above, who may also share their own personal views.
 */
export const savedViewPolicy = definePolicy<SavedViewSubject, 'read' | 'update' | 'delete' | 'share'>({
  read: (a, v) => sameAccount(a, v) && isStaff(a) && (v.shared || ownsView(a, v)),
  update: (a, v) => sameAccount(a, v) && (v.shared ? isAtLeast(a, 'supervisor') : ownsView(a, v)),
  delete: (a, v) => sameAccount(a, v) && (v.shared ? isAtLeast(a, 'supervisor') : ownsView(a, v)),
  share: (a, v) => sameAccount(a, v) && isAtLeast(a, 'supervisor') && (v.shared ? a.kind === 'user' : ownsView(a, v)),
});

/** A shared view needs a supervisor or above; a personal one a person (every staff role, analysts included). */
export const canCreateSavedView = (a: Actor, shared: boolean) => (shared ? isAtLeast(a, 'supervisor') : a.kind === 'user');
