import { definePolicy, isAtLeast } from '../../platform/authz';
import type { Actor } from '../../platform/context';

/** Routing settings are account-wide: the subject is the account id. */
export const routingPolicy = definePolicy<string, 'set_own_presence' | 'read_presence' | 'read_routing' | 'read_queue' | 'manage_routing'>({
  /** Only people have a presence; analysts are never routed to. */
  set_own_presence: (a, accountId) => a.accountId === accountId && a.kind === 'user' && isAtLeast(a, 'agent'),
  read_presence: (a, accountId) => a.accountId === accountId && isAtLeast(a, 'supervisor'),
  read_routing: (a, accountId) => a.accountId === accountId && isAtLeast(a, 'agent'),
  read_queue: (a, accountId) => a.accountId === accountId && isAtLeast(a, 'supervisor'),
  manage_routing: (a, accountId) => a.accountId === accountId && isAtLeast(a, 'admin'),
});

export const routingPolicies = (actor: Actor) => [
  {
    id: actor.accountId,
    abilities: Object.fromEntries(Object.entries(routingPolicy).map(([k, rule]) => [k, rule(actor, actor.accountId)])),
  },
];
