import { ROLE_RANK, type Role } from '@touchpoint/shared';
import { roleOf, type Actor } from './context';
import { forbidden } from './errors';

export type Rule<T> = (actor: Actor, subject: T) => boolean;
export type Policy<T, A extends string> = { readonly [K in A]: Rule<T> };

/** A policy is a plain object of rules, one per ability; the server is the only authority. */
export function definePolicy<T, A extends string>(rules: Policy<T, A>): Policy<T, A> {
  return rules;
}

export function authorize<T, A extends string>(actor: Actor, policy: Policy<T, A>, ability: A, subject: T): void {
  if (!policy[ability](actor, subject)) throw forbidden(`Your role may not ${ability.replace(/_/g, ' ')} this`);
}

/** The abilities an actor has on a subject, for the `policies` field of responses (the UI reads them). */
export function abilitiesFor<T, A extends string>(actor: Actor, policy: Policy<T, A>, subject: T): Record<A, boolean> {
  const out = {} as Record<A, boolean>;
  for (const ability of Object.keys(policy) as A[]) out[ability] = policy[ability](actor, subject);
  return out;
}

export function isAtLeast(actor: Actor, role: Role): boolean {
  const r = roleOf(actor);
  return r !== null && ROLE_RANK[r] >= ROLE_RANK[role];
}

/** Account-wide staff: users and API keys (customers and bots are not staff). */
export function isStaff(actor: Actor): boolean {
  return actor.kind === 'user' || actor.kind === 'api_key';
}
