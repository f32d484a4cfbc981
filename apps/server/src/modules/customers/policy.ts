import { definePolicy, isAtLeast, isStaff } from '../../platform/authz';
import type { Actor } from '../../platform/context';

/** Staff read every customer of the account; analysts only read; merging is for supervisors and above. */
export const customerPolicy = definePolicy<unknown, 'read' | 'create' | 'update' | 'manage_identities' | 'merge' | 'add_note'>({
  read: (actor) => isStaff(actor),
  create: (actor) => isAtLeast(actor, 'agent'),
  update: (actor) => isAtLeast(actor, 'agent'),
  manage_identities: (actor) => isAtLeast(actor, 'agent'),
  merge: (actor) => isAtLeast(actor, 'supervisor'),
  add_note: (actor) => isAtLeast(actor, 'agent'),
});

const authorOf = (actor: Actor) => (actor.kind === 'user' ? actor.userId : null);

/** A note about a customer: its author (an agent+) deletes it, and so do supervisors and above. */
export const customerNotePolicy = definePolicy<{ authorUserId: string | null }, 'delete'>({
  delete: (actor, note) =>
    isAtLeast(actor, 'supervisor') || (isAtLeast(actor, 'agent') && note.authorUserId !== null && note.authorUserId === authorOf(actor)),
});
