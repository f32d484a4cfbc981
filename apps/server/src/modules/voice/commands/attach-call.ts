import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { calls } from '../../../db/schema';
import type { Ctx } from '../../../platform/context';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { joinOrStartConversation } from '../../conversations';
import { normalisePhone, resolveCustomer, type CustomerRow } from '../../customers';
import { presentCall } from '../presenters';
import { customerNumber } from '../project-call';
import { accountPhoneCountry, lockCall } from '../queries';

async function link(tx: Tx, ctx: Ctx, callId: string, conversationId: string): Promise<void> {
  const [row] = await tx
    .update(calls)
    .set({ conversationId })
    .where(and(eq(calls.accountId, ctx.accountId), eq(calls.id, callId), isNull(calls.conversationId)))
    .returning();
  if (row) await emit(tx, ctx, { type: 'call.updated', conversationId, customerId: row.customerId, payload: { call: presentCall(row) } });
}

/**
 * Puts a call into its customer's history, in one transaction: the customer is found (or created) by the caller's
 * number, then the call joins their open or pending conversation on this voice channel, or starts one there (under
 * the conversations' intake lock, so two calls from one number start one conversation). Runs as a job once per call
 * (listeners.ts); a retry finds the call attached, or nothing of a rolled-back attempt.
 */
export async function attachCall(ctx: Ctx, callId: string): Promise<void> {
  await command(ctx, async (tx) => {
    const call = await lockCall(tx, ctx.accountId, { id: callId });
    const number = call && customerNumber(call);
    if (!call || call.conversationId || !number) return;
    let customer: CustomerRow | string | null = call.customerId;
    let newCustomer = false;
    if (!customer) {
      const phone = normalisePhone(number, await accountPhoneCountry(tx, ctx.accountId));
      // A withheld number ("anonymous") cannot identify anyone: such a caller gets a profile of their own.
      const resolved = await resolveCustomer(tx, ctx, phone ? { phone } : { name: 'Unknown caller' });
      customer = resolved.customer;
      newCustomer = resolved.created;
      await tx
        .update(calls)
        .set({ customerId: customer.id })
        .where(and(eq(calls.accountId, ctx.accountId), eq(calls.id, call.id)));
    }
    const inbound = call.direction !== 'outbound';
    const { conversationId } = await joinOrStartConversation(tx, ctx, {
      customer,
      newCustomer,
      channelId: call.channelId,
      // A callback continues the customer's conversation still in progress on this voice channel.
      statuses: ['open', 'pending'],
      start: {
        subject: inbound ? `Call from ${number}` : `Call to ${number}`,
        // A note by the system, not an incoming message: the caller is being served on the phone, so the
        // conversation must not start waiting for a written reply (that would skew first-response times).
        message: { kind: 'note', authorKind: 'system', body: inbound ? `Incoming call from ${number}` : `Outgoing call to ${number}` },
      },
    });
    await link(tx, ctx, call.id, conversationId);
  });
}
