import { abilitiesFor } from '../../../platform/authz';
import type { Actor } from '../../../platform/context';
import { conversationPolicy, type ConversationSubject } from '../policy';

/** The `policies` field: what the caller may do with each conversation. */
export function conversationPolicies(actor: Actor, subjects: (ConversationSubject & { id: string })[]) {
  return subjects.map((c) => ({ id: c.id, abilities: abilitiesFor(actor, conversationPolicy, c) }));
}
