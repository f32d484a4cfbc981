import { firstName, type TemplateValues } from '@touchpoint/shared';
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { accounts, customers, users } from '../../db/schema';
import type { Actor } from '../../platform/context';
import type { ConversationRow } from '../conversations';

/**
 * The values of template variables for one conversation. `agent` is the person applying the macro; for
 * automation and API keys it is the conversation's assignee (empty when unassigned).
 */
export async function templateValuesFor(tx: Tx, actor: Actor, conv: ConversationRow): Promise<TemplateValues> {
  const [customer] = await tx
    .select({ name: customers.name, email: customers.email })
    .from(customers)
    .where(and(eq(customers.accountId, conv.accountId), eq(customers.id, conv.customerId)));
  const [account] = await tx.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, conv.accountId));
  let agentName: string | null = actor.kind === 'user' ? actor.name : null;
  if (agentName === null && conv.assigneeId) {
    const [u] = await tx.select({ name: users.name }).from(users).where(eq(users.id, conv.assigneeId));
    agentName = u?.name ?? null;
  }
  return {
    'customer.name': customer?.name ?? null,
    'customer.first_name': firstName(customer?.name),
    'customer.email': customer?.email ?? null,
    'agent.name': agentName,
    'agent.first_name': firstName(agentName),
    'conversation.number': conv.number,
    'conversation.subject': conv.subject,
    'account.name': account?.name ?? null,
  };
}
