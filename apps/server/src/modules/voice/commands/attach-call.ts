import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { calls } from '../../../db/schema';
import type { Ctx } from '../../../platform/context';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import { createConversation, latestConversationOn, OpenConversationExists } from '../../conversations';
import { normalisePhone, resolveCustomer } from '../../customers';
import { presentCall, type CallRow } from '../presenters';
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

type Step = { done: true } | { done: false; call: CallRow; customerId: string; number: string };

/**
 * Puts a call into its customer's history: the customer is found (or created) by the caller's number, then the
 * call joins their open conversation on this voice channel, or a new one is started through `createConversation`.
 * Runs as a job once per call (listeners.ts), in three transactions because `createConversation` is a command of
 * its own; a retry after a crash between them finds the conversation it created as the open one, so it never
 * starts a second one.
 */
export async function attachCall(ctx: Ctx, callId: string): Promise<void> {
  const step = await command<Step>(ctx, async (tx) => {
    const call = await lockCall(tx, ctx.accountId, { id: callId });
    const number = call && customerNumber(call);
    if (!call || call.conversationId || !number) return { done: true };
    let customerId = call.customerId;
    if (!customerId) {
      const phone = normalisePhone(number, await accountPhoneCountry(tx, ctx.accountId));
      // A withheld number ("anonymous") cannot identify anyone: such a caller gets a profile of their own.
      const { customer } = await resolveCustomer(tx, ctx, phone ? { phone } : { name: 'Unknown caller' });
      customerId = customer.id;
      await tx
        .update(calls)
        .set({ customerId })
        .where(and(eq(calls.accountId, ctx.accountId), eq(calls.id, call.id)));
    }
    // A callback continues the customer's conversation still in progress on this voice channel.
    const open = await latestConversationOn(tx, ctx.accountId, { customerId, channelId: call.channelId, statuses: ['open', 'pending'] });
    if (open) {
      await link(tx, ctx, call.id, open);
      return { done: true };
    }
    return { done: false, call, customerId, number };
  });
  if (step.done) return;

  const { call, customerId, number } = step;
  const inbound = call.direction !== 'outbound';
  // A note by the system, not an incoming message: the caller is being served on the phone, so the
  // conversation must not start waiting for a written reply (that would skew first-response times).
  let conversationId: string;
  try {
    const { conversation } = await createConversation(ctx, {
      customerId,
      channelId: call.channelId,
      subject: inbound ? `Call from ${number}` : `Call to ${number}`,
      message: { kind: 'note', authorKind: 'system', body: inbound ? `Incoming call from ${number}` : `Outgoing call to ${number}` },
      unlessOpen: ['open', 'pending'],
    });
    conversationId = conversation.id;
  } catch (err) {
    // Another call from the same number started one a moment ago: this call joins it.
    if (!(err instanceof OpenConversationExists)) throw err;
    conversationId = err.conversationId;
  }
  await command(ctx, (tx) => link(tx, ctx, call.id, conversationId));
}
