import type { Ctx } from '../../../platform/context';
import { command } from '../../../platform/tx';
import { revokeSession } from '../sessions';

/** Revokes the session row, so the token stops working on every node (not only where the cache is cleared). */
export async function logOut(ctx: Ctx, sessionToken: string): Promise<void> {
  await command(ctx, (tx) => revokeSession(tx, ctx.accountId, sessionToken));
}
