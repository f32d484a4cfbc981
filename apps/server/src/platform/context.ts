import type { Role } from '@touchpoint/shared';
import type { Db } from '../db/client';
import type { EventBus } from './events';

/** Who is acting. Automation and system are explicit actors, never an implicit superuser. */
export type Actor =
  | { kind: 'user'; userId: string; accountId: string; role: Role; teamIds: string[]; name: string }
  | { kind: 'api_key'; keyId: string; accountId: string; role: Role }
  | { kind: 'customer'; customerId: string; accountId: string; channelId: string }
  | { kind: 'automation'; accountId: string; ruleId: string }
  | { kind: 'system'; accountId: string; reason: string };

export interface Ctx {
  db: Db;
  accountId: string;
  actor: Actor;
  requestId: string;
  events: EventBus;
  /** Set when work is done in reaction to an event, so new events record what caused them. */
  causation?: { eventId: string; depth: number };
}

export function systemCtx(base: Pick<Ctx, 'db' | 'events'>, accountId: string, reason: string, causation?: Ctx['causation']): Ctx {
  return {
    db: base.db,
    events: base.events,
    accountId,
    actor: { kind: 'system', accountId, reason },
    requestId: `system:${reason}`,
    causation,
  };
}

/** The role an actor acts with, for policies (customers and system have none). */
export function roleOf(actor: Actor): Role | null {
  return actor.kind === 'user' || actor.kind === 'api_key' ? actor.role : null;
}

export function actorRef(actor: Actor): { kind: string; id: string | null } {
  switch (actor.kind) {
    case 'user':
      return { kind: 'user', id: actor.userId };
    case 'api_key':
      return { kind: 'api_key', id: actor.keyId };
    case 'customer':
      return { kind: 'customer', id: actor.customerId };
    case 'automation':
      return { kind: 'automation', id: actor.ruleId };
    case 'system':
      return { kind: 'system', id: null };
  }
}
