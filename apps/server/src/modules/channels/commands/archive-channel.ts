import { and, eq } from 'drizzle-orm';
import { channels } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { notFound } from '../../../platform/errors';
import { command } from '../../../platform/tx';
import { channelPolicy } from '../policy';
import { assertNotLastApiChannel } from './update-channel';

/**
 * DELETE /channels/:id: archives the channel (a soft delete). It leaves the lists, takes no more messages and
 * delivers no more replies (it is disabled too), while its conversations, messages and call records stay as they
 * are, still naming it. Archiving an archived channel again changes nothing (idempotent, like revoking a key).
 */
export async function archiveChannel(ctx: Ctx, id: string): Promise<void> {
  await command(ctx, async (tx) => {
    const where = and(eq(channels.accountId, ctx.accountId), eq(channels.id, id));
    const [row] = await tx.select().from(channels).where(where).for('update');
    if (!row) throw notFound('Channel');
    authorize(ctx.actor, channelPolicy, 'manage', row);
    if (row.archivedAt) return;
    await assertNotLastApiChannel(tx, row);
    await tx.update(channels).set({ active: false, archivedAt: new Date() }).where(where);
  });
}
