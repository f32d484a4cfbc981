import { definePolicy, isAtLeast, isStaff } from '../../platform/authz';

/** Staff read every customer of the account; analysts only read; merging is for supervisors and above. */
export const customerPolicy = definePolicy<unknown, 'read' | 'create' | 'update' | 'manage_identities' | 'merge'>({
  read: (actor) => isStaff(actor),
  create: (actor) => isAtLeast(actor, 'agent'),
  update: (actor) => isAtLeast(actor, 'agent'),
  manage_identities: (actor) => isAtLeast(actor, 'agent'),
  merge: (actor) => isAtLeast(actor, 'supervisor'),
});
