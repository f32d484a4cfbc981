import type { CreateChannelBody } from '@touchpoint/shared';
import type { Tx } from '../../../db/client';
import { channels } from '../../../db/schema';
import { authorize } from '../../../platform/authz';
import type { Ctx } from '../../../platform/context';
import { command } from '../../../platform/tx';
import { channelPolicy } from '../policy';
import { presentChannel } from '../queries';

export async function createChannel(ctx: Ctx, input: CreateChannelBody) {
  return command(ctx, async (tx) => {
    authorize(ctx.actor, channelPolicy, 'manage', { accountId: ctx.accountId });
    const [row] = await tx
      .insert(channels)
      .values({ accountId: ctx.accountId, kind: input.kind, name: input.name, config: input.config ?? {} })
      .returning();
    return presentChannel(row!, { withSecret: true });
  });
}

/** Every new account can take conversations over the API and the web chat widget right away. */
export async function createDefaultChannels(tx: Tx, accountId: string) {
  return tx
    .insert(channels)
    .values([
      { accountId, kind: 'api', name: 'API' },
      { accountId, kind: 'web', name: 'Web chat' },
    ])
    .returning();
}
