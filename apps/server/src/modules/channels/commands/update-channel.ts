import type { UpdateChannelBody } from '@touchpoint/shared';
import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { channels } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { conflict } from '../../../platform/errors';
import { command } from '../../../platform/tx';
import { assertValidConfig, mergeConfig } from '../config-patch';
import { channelPolicy } from '../policy';
import { getChannelRow, presentChannel, type ChannelRow } from '../queries';

/**
 * Conversations started over the API or in the workspace without a channel land on the account's oldest enabled
 * `api` channel (findDefaultChannel): the last one cannot be disabled or archived (409). The account's api
 * channels are locked, so two admins switching off two of them at once cannot both pass.
 */
export async function assertNotLastApiChannel(tx: Tx, row: ChannelRow): Promise<void> {
  if (row.kind !== 'api' || !row.active) return;
  const others = await tx
    .select({ id: channels.id })
    .from(channels)
    .where(
      and(
        eq(channels.accountId, row.accountId),
        eq(channels.kind, 'api'),
        eq(channels.active, true),
        isNull(channels.archivedAt),
        ne(channels.id, row.id),
      ),
    )
    .for('update');
  if (others.length === 0)
    throw conflict(
      'This is the account’s last enabled API channel: conversations started without a channel land on it. Add another first.',
      {
        field: 'enabled',
      },
    );
}

/** PATCH /channels/:id: rename, enable or disable, change the config (a JSON merge patch, validated as at creation). */
export async function updateChannel(ctx: Ctx, id: string, input: UpdateChannelBody) {
  return command(ctx, async (tx) => {
    const row = await getChannelRow(tx, ctx.accountId, id, { lock: true });
    authorize(ctx.actor, channelPolicy, 'manage', row);
    const changes: Partial<typeof channels.$inferInsert> = {};
    if (input.name !== undefined && input.name !== row.name) changes.name = input.name;
    if (input.config !== undefined) {
      const config = mergeConfig(row.config, input.config);
      assertValidConfig(row.kind, config);
      changes.config = config;
    }
    if (input.enabled !== undefined && input.enabled !== row.active) {
      if (!input.enabled) await assertNotLastApiChannel(tx, row);
      changes.active = input.enabled;
    }
    if (Object.keys(changes).length === 0) return presentChannel(row);
    const [updated] = await tx
      .update(channels)
      .set(changes)
      .where(and(eq(channels.accountId, ctx.accountId), eq(channels.id, id)))
      .returning();
    return presentChannel(updated!);
  });
}
