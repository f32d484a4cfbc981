import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { channels, customers } from '../../db/schema';
import type { Facts } from './conditions';

/** The conversation fields conditions read: a row, or the presented conversation of an event payload. */
export interface ConversationFacts {
  status: string;
  priority: string;
  channelId: string;
  tags: string[];
  teamId: string | null;
  assigneeId: string | null;
  subject: string | null;
  customerId: string;
}

export interface MessageFacts {
  body: string;
  kind: string;
  authorKind: string;
}

/** Facts for conditions: the conversation as given, its channel's kind and its customer as they are now. */
export async function loadFacts(tx: Tx, accountId: string, conv: ConversationFacts, message: MessageFacts | null): Promise<Facts> {
  const [channel] = await tx
    .select({ kind: channels.kind })
    .from(channels)
    .where(and(eq(channels.accountId, accountId), eq(channels.id, conv.channelId)));
  const [customer] = await tx
    .select({ vip: customers.vip, segment: customers.segment, email: customers.email })
    .from(customers)
    .where(and(eq(customers.accountId, accountId), eq(customers.id, conv.customerId)));
  return {
    'conversation.status': conv.status,
    'conversation.priority': conv.priority,
    'conversation.channelKind': channel?.kind ?? null,
    'conversation.tags': conv.tags,
    'conversation.teamId': conv.teamId,
    'conversation.assigneeId': conv.assigneeId,
    'conversation.subject': conv.subject,
    'message.body': message?.body ?? null,
    'message.kind': message?.kind ?? null,
    'message.authorKind': message?.authorKind ?? null,
    'customer.vip': customer?.vip ?? null,
    'customer.segment': customer?.segment ?? null,
    'customer.email': customer?.email ?? null,
  };
}
