import { randomBytes } from 'node:crypto';
import { webchatVisitors } from '../../../db/schema';
import type { Ctx } from '../../../platform/context';
import { hashToken, newToken } from '../../../platform/http/tokens';
import { command } from '../../../platform/tx';
import { resolveCustomer } from '../../customers';
import type { VisitorRow } from '../queries';

/**
 * A new anonymous visitor on a web channel: a customer owning a `channel_handle` identity (a random visitor id,
 * unique to this channel) and a token for the widget. `ctx` is the system actor of the channel's account: the
 * visitor has no identity yet, this is channel intake. Only the token's hash is stored; the token is returned once.
 */
export async function startVisitorSession(ctx: Ctx, channelId: string): Promise<{ token: string; visitor: VisitorRow }> {
  const token = newToken();
  const handle = `visitor-${randomBytes(9).toString('base64url')}`;
  return command(ctx, async (tx) => {
    const { customer } = await resolveCustomer(tx, ctx, { channelHandle: { channelId, value: handle } });
    const [visitor] = await tx
      .insert(webchatVisitors)
      .values({ accountId: ctx.accountId, channelId, customerId: customer.id, tokenHash: hashToken(token), lastSeenAt: new Date() })
      .returning();
    return { token, visitor: visitor! };
  });
}
