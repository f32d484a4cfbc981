import type { Tx } from '../../db/client';
import { REPLY_BY_EMAIL_TAG } from './commands/send-offline-message';
import { widgetConnectedAfter, widgetConnection } from './connections';

/** A widget closed this long is not coming back soon: replies also go out by email. */
export const WIDGET_OFFLINE_MINUTES = 5;

/** `email`: send the reply by email too; `live`: the widget has it (or had it); `wait`: ask again at `until`. */
export type OfflinePromise = { kind: 'email' } | { kind: 'live' } | { kind: 'wait'; until: Date };

export interface WebConversation {
  accountId: string;
  customerId: string;
  channelId: string;
  tags: string[];
}

/**
 * Whether an agent's reply in a web chat conversation must also be sent by email (the caller checks there is an
 * address and an email channel). Yes when the visitor used the offline form (they were promised an answer by email),
 * or when their widget has had no socket on any node for WIDGET_OFFLINE_MINUTES (or never had one). A widget
 * connected now gets the reply live; one closed more recently is asked about again when those minutes are up, and
 * by then any socket since the reply means the visitor came back and saw it.
 */
export async function offlinePromise(
  tx: Tx,
  conv: WebConversation,
  reply: { createdAt: Date },
  now: Date,
  opts: { recheck?: boolean } = {},
): Promise<OfflinePromise> {
  if (conv.tags.includes(REPLY_BY_EMAIL_TAG)) return { kind: 'email' };
  if (opts.recheck) return (await widgetConnectedAfter(tx, conv, reply.createdAt)) ? { kind: 'live' } : { kind: 'email' };
  const c = await widgetConnection(tx, conv);
  if (c.connected) return { kind: 'live' };
  if (!c.lastSeenAt) return { kind: 'email' };
  const until = new Date(c.lastSeenAt.getTime() + WIDGET_OFFLINE_MINUTES * 60_000);
  return until.getTime() <= now.getTime() ? { kind: 'email' } : { kind: 'wait', until };
}
