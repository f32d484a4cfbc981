import { definePolicy, isAtLeast } from '../../platform/authz';

/** Agents see the channels (to pick one when replying); only admins add or configure them. */
export const channelPolicy = definePolicy<{ accountId: string }, 'read' | 'manage'>({
  read: (actor, s) => actor.accountId === s.accountId && isAtLeast(actor, 'agent'),
  manage: (actor, s) => actor.accountId === s.accountId && isAtLeast(actor, 'admin'),
});
