import type { ReplyChannel } from '@touchpoint/shared';
import type { Tx } from '../../db/client';
import { rawQuery } from '../../db/raw-query';
import { invalid } from '../../platform/errors';

/*
 * Replying on another of the customer's channels (docs/conversation.md#reply-channels): an agent's reply may go out on
 * any enabled channel of the account where the customer can be reached, and the conversation moves there. "Reached"
 * is what the channel's delivery needs, so a reply the picker offers is a reply its adapter can send:
 *   email                                   the customer's email address (what the email delivery mails to)
 *   sms, whatsapp, messenger, instagram,    the customer's phone number, or a handle the customer wrote from on
 *   telegram                                this channel (what the messaging delivery addresses)
 *   web                                     a web chat visitor of this customer on this channel (the widget)
 *   api                                     when it delivers replies (config.outboundUrl; the integration knows the
 *                                           customer by id); a polling integration's channel only as the current one
 *   voice, other                            never: no text replies go out there
 */

interface ChannelFacts {
  id: string;
  kind: string;
  name: string;
  active: boolean;
  email: string | null;
  phone: string | null;
  handle: string | null;
  visitor: boolean;
  outboundUrl: string | null;
}

const MESSAGING = new Set(['sms', 'whatsapp', 'messenger', 'instagram', 'telegram']);

/** Where a reply on this channel reaches the customer: an address, '' when none is needed, null when unreachable. */
function addressOn(c: ChannelFacts): string | null {
  if (c.kind === 'email') return c.email;
  if (MESSAGING.has(c.kind)) return c.phone ?? c.handle;
  if (c.kind === 'web') return c.visitor ? '' : null;
  if (c.kind === 'api') return c.outboundUrl ? '' : null;
  return null;
}

async function channelFacts(tx: Tx, accountId: string, customerId: string, onlyChannelId: string | null): Promise<ChannelFacts[]> {
  const { rows } = await rawQuery<ChannelFacts>(
    tx,
    `select c.id, c.kind, c.name, c.active, cu.email, cu.phone,
            (select i.value from customer_identities i
              where i.account_id = $1 and i.customer_id = $2 and i.kind = 'channel_handle' and i.channel_id = c.id
              order by i.created_at desc limit 1) as handle,
            exists (select 1 from webchat_visitors v where v.account_id = $1 and v.customer_id = $2 and v.channel_id = c.id) as visitor,
            c.config->>'outboundUrl' as "outboundUrl"
       from channels c
       join customers cu on cu.account_id = $1 and cu.id = $2
      where c.account_id = $1 and c.archived_at is null and ($3::uuid is null or c.id = $3::uuid)
      order by c.created_at, c.id`,
    [accountId, customerId, onlyChannelId],
  );
  return rows;
}

/**
 * The channels a reply in this conversation can take: its own channel first (always listed; `reachable` false when
 * it cannot deliver any more), then every other enabled channel where the customer can be reached.
 */
export async function listReplyChannels(
  tx: Tx,
  accountId: string,
  conv: { channelId: string; customerId: string },
): Promise<ReplyChannel[]> {
  const out: ReplyChannel[] = [];
  for (const c of await channelFacts(tx, accountId, conv.customerId, null)) {
    const current = c.id === conv.channelId;
    // Replies on the conversation's own API channel are what API integrations poll for.
    const address = !c.active ? null : current && c.kind === 'api' ? (addressOn(c) ?? '') : addressOn(c);
    if (!current && address === null) continue;
    const item = { channelId: c.id, kind: c.kind, name: c.name, address: address || null, current, reachable: address !== null };
    if (current) out.unshift(item);
    else out.push(item);
  }
  return out;
}

/**
 * A reply on a channel other than the conversation's: the channel must be an enabled channel of this account and the
 * customer reachable on it (above); 422 on `channelId` otherwise, before anything is written.
 */
export async function checkReplyChannel(tx: Tx, accountId: string, customerId: string, channelId: string): Promise<void> {
  const [c] = await channelFacts(tx, accountId, customerId, channelId);
  if (!c || !c.active) throw invalid('channelId', 'The channel does not exist in this account or is disabled');
  if (addressOn(c) !== null) return;
  const why =
    c.kind === 'email'
      ? 'The customer has no email address'
      : MESSAGING.has(c.kind)
        ? 'The customer has no phone number or handle on this channel'
        : c.kind === 'web'
          ? 'The customer has no web chat session on this channel'
          : c.kind === 'api'
            ? 'This API channel does not deliver replies (it has no outbound URL)'
            : `Replies cannot be sent on a ${c.kind} channel`;
  throw invalid('channelId', `${why} (${c.name})`);
}
