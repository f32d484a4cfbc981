import type { UpdateMeBody } from '@touchpoint/shared';
import { eq } from 'drizzle-orm';
import { users } from '../../../db/schema';
import type { Ctx } from '../../../platform/context';
import { forbidden } from '../../../platform/errors';
import { command } from '../../../platform/tx';

/**
 * A person renames themselves. The name is the person's (the same in every account they belong to), so only they
 * change it; API keys have no person to rename.
 */
export async function updateMe(ctx: Ctx, input: UpdateMeBody): Promise<void> {
  const { actor } = ctx;
  if (actor.kind !== 'user') throw forbidden('Only a signed-in person can change their own profile');
  await command(ctx, (tx) => tx.update(users).set({ name: input.name.trim() }).where(eq(users.id, actor.userId)));
}
