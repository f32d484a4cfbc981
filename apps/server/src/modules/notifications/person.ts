import type { Ctx } from '../../platform/context';
import { forbidden } from '../../platform/errors';

/** Notifications are a person's: API keys have none. */
export function personOf(ctx: Ctx): string {
  if (ctx.actor.kind !== 'user') throw forbidden('Notifications belong to people; API keys have none');
  return ctx.actor.userId;
}
