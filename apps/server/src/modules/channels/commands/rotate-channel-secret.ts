import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { channels } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { command } from '../../../platform/tx';
import { channelPolicy } from '../policy';
import { getChannelRow, presentChannel } from '../queries';

/**
 * POST /channels/:id/secret: a new webhook secret (64 hex characters, like the one a channel is created with),
 * answered once. The old one stops verifying at COMMIT: there is no overlap, so a leaked secret is dead at once;
 * requests the provider still signs with it get 401 until it is given the new one.
 */
export async function rotateChannelSecret(ctx: Ctx, id: string) {
  return command(ctx, async (tx) => {
    const row = await getChannelRow(tx, ctx.accountId, id, { lock: true });
    authorize(ctx.actor, channelPolicy, 'manage', row);
    const [updated] = await tx
      .update(channels)
      .set({ webhookSecret: randomBytes(32).toString('hex') })
      .where(and(eq(channels.accountId, ctx.accountId), eq(channels.id, id)))
      .returning();
    return presentChannel(updated!, { withSecret: true });
  });
}
