import { businessSecondsBetween, type ConversationSlaView, type SlaTarget } from '@touchpoint/shared';
import { and, eq } from 'drizzle-orm';
import { conversations, conversationSlas, slaPolicies } from '../../db/schema';
import { authorize } from '../../platform/authz';
import type { Ctx } from '../../platform/context';
import { notFound } from '../../platform/errors';
import { read } from '../../platform/tx';
import { conversationPolicy } from '../conversations';
import { TARGET_COLUMNS } from './clock';
import { calendarFor } from './store';

/** A conversation's SLA state with remaining business seconds as of `now` (null data when no policy applies). */
export async function getConversationSla(
  ctx: Ctx,
  conversationId: string,
  now = new Date(),
): Promise<{ data: ConversationSlaView | null }> {
  return read(ctx, async (tx) => {
    const [conv] = await tx
      .select()
      .from(conversations)
      .where(and(eq(conversations.accountId, ctx.accountId), eq(conversations.id, conversationId)));
    if (!conv) throw notFound('Conversation');
    authorize(ctx.actor, conversationPolicy, 'read', conv);
    const [row] = await tx
      .select()
      .from(conversationSlas)
      .where(and(eq(conversationSlas.accountId, ctx.accountId), eq(conversationSlas.conversationId, conversationId)));
    if (!row) return { data: null };
    const [policy] = await tx
      .select({ name: slaPolicies.name })
      .from(slaPolicies)
      .where(and(eq(slaPolicies.accountId, ctx.accountId), eq(slaPolicies.id, row.policyId)));
    const { id: calendarId, calendar } = await calendarFor(tx, ctx.accountId, conv);
    // A paused clock's remaining time is frozen at the pause.
    const asOf = row.pausedAt ?? now;
    const target = (key: SlaTarget) => {
      const cols = TARGET_COLUMNS[key];
      const due = row[cols.due];
      const status = row[cols.status] as ConversationSlaView['firstResponse']['status'];
      return {
        status,
        dueAt: due ? due.toISOString() : null,
        remainingBusinessSeconds: due && status === 'pending' ? Math.round(businessSecondsBetween(calendar, asOf, due)) : null,
        warned: row[cols.warned],
      };
    };
    return {
      data: {
        conversationId,
        policyId: row.policyId,
        policyName: policy?.name ?? '',
        paused: row.pausedAt !== null,
        pausedAt: row.pausedAt ? row.pausedAt.toISOString() : null,
        pausedBusinessSeconds: row.pausedBusinessSeconds,
        calendarId,
        firstResponse: target('firstResponse'),
        nextResponse: target('nextResponse'),
        resolution: target('resolution'),
      },
    };
  });
}
