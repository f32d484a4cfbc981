import type { PresenceState } from '@touchpoint/shared';
import { uuidv7 } from 'uuidv7';
import { channels } from '../../db/schema';
import { withSystem } from '../../db/tenant';
import type { TestApp } from '../../../test/harness';
import type { TestUser } from '../../../test/factories';
import { createConversation } from '../conversations';
import { setPresence } from './commands/set-presence';

export async function createChannel(t: TestApp, accountId: string, kind: string): Promise<string> {
  const id = uuidv7();
  await withSystem(t.database.db, (tx) => tx.insert(channels).values({ id, accountId, kind, name: `${kind} ${id.slice(-4)}` }));
  return id;
}

/** An inbound conversation (the customer wrote first), as a channel adapter creates it. */
export async function inbound(
  user: TestUser,
  channelId: string,
  extra: {
    tags?: string[];
    priority?: 'low' | 'normal' | 'high' | 'urgent';
    teamId?: string;
    customer?: { name?: string; email?: string };
  } = {},
) {
  const r = await createConversation(user.ctx, {
    channelId,
    customer: extra.customer ?? { name: 'Customer' },
    tags: extra.tags,
    priority: extra.priority,
    teamId: extra.teamId,
    message: { body: 'Hello, I need help', kind: 'incoming' },
  });
  return r.conversation;
}

export const goOnline = (user: TestUser, state: PresenceState = 'online') => setPresence(user.ctx, state);
