import { definePolicy, isAtLeast } from '../../platform/authz';

/** Call records name agents, numbers and recordings: agents and above, not analysts (they get aggregates). */
export const callPolicy = definePolicy<{ accountId: string }, 'read'>({
  read: (a, c) => a.accountId === c.accountId && isAtLeast(a, 'agent'),
});
