import type { CallEventBody } from '@touchpoint/shared';
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { callEvents, calls } from '../../../db/schema';
import type { Ctx } from '../../../platform/context';
import { conflict } from '../../../platform/errors';
import { emit } from '../../../platform/events';
import { command } from '../../../platform/tx';
import type { WebhookChannel } from '../../channels';
import { normalisePhone } from '../../customers';
import { presentCall, type CallRow } from '../presenters';
import { projectCall, type CallProjection } from '../project-call';
import { accountPhoneCountry, callHistory, lockCall, memberIdsByEmail } from '../queries';

export interface RecordCallEventResult {
  duplicate: boolean;
  call?: CallRow;
}

const OVER: readonly string[] = ['ended', 'missed', 'abandoned'];

/** The columns the projection decides, with numbers in E.164 and agents mapped to members of the account. */
async function columnsOf(tx: Tx, accountId: string, p: CallProjection) {
  const country = p.from || p.to ? await accountPhoneCountry(tx, accountId) : undefined;
  const phone = (raw: string | null) => (raw === null ? null : (normalisePhone(raw, country) ?? raw));
  const emails = [p.agent?.email, ...p.transfers.map((t) => t.agent?.email)].filter((e): e is string => !!e);
  const members = await memberIdsByEmail(tx, accountId, emails);
  const userOf = (email: string | undefined) => (email ? (members.get(email.toLowerCase()) ?? null) : null);
  return {
    direction: p.direction,
    status: p.status,
    fromNumber: phone(p.from),
    toNumber: phone(p.to),
    agentUserId: userOf(p.agent?.email),
    agentEmail: p.agent?.email ?? null,
    agentExternalId: p.agent?.externalId ?? null,
    queue: p.queue,
    startedAt: p.startedAt,
    queuedAt: p.queuedAt,
    ringingAt: p.ringingAt,
    answeredAt: p.answeredAt,
    endedAt: p.endedAt,
    abandonedAt: p.abandonedAt,
    wrapupEndedAt: p.wrapupEndedAt,
    holds: p.holds.map((h) => ({ startedAt: h.startedAt.toISOString(), endedAt: h.endedAt?.toISOString() ?? null })),
    transfers: p.transfers.map((t) => ({
      at: t.at.toISOString(),
      agent: t.agent ? { email: t.agent.email ?? null, externalId: t.agent.externalId ?? null, userId: userOf(t.agent.email) } : null,
      queue: t.queue,
    })),
    recordingUrl: p.recordingUrl,
    voicemailUrl: p.voicemailUrl,
    durationSeconds: p.durationSeconds,
  };
}

/** What happened to the call with this event, as domain events: lifecycle steps first, else an update. */
type CallEventType = 'call.started' | 'call.answered' | 'call.ended' | 'call.updated';

function lifecycle(before: CallRow | null, after: CallRow): CallEventType[] {
  const types: CallEventType[] = [];
  if (!before) types.push('call.started');
  if (!before?.answeredAt && after.answeredAt) types.push('call.answered');
  if (!OVER.includes(before?.status ?? '') && OVER.includes(after.status)) types.push('call.ended');
  return types.length > 0 ? types : ['call.updated'];
}

/**
 * Stores one provider event of a call and re-projects the call from all its events. Idempotent by the provider's
 * event id: a redelivery (even concurrent: the second insert waits for the first, then conflicts) changes nothing.
 * The customer and conversation are attached after commit (listeners.ts), so no command nests in this one.
 */
export async function recordCallEvent(ctx: Ctx, channel: WebhookChannel, body: CallEventBody): Promise<RecordCallEventResult> {
  return command(ctx, async (tx) => {
    const at = new Date(body.timestamp);
    const key = { channelId: channel.id, providerCallId: body.callId };
    const created = await tx
      .insert(calls)
      .values({ accountId: ctx.accountId, ...key, status: 'queued', startedAt: at })
      .onConflictDoNothing()
      .returning({ id: calls.id });
    const call = await lockCall(tx, ctx.accountId, key);
    if (!call) throw new Error(`Call ${body.callId} vanished`);
    const [stored] = await tx
      .insert(callEvents)
      .values({
        accountId: ctx.accountId,
        channelId: channel.id,
        callId: call.id,
        providerEventId: body.id,
        type: body.type,
        occurredAt: at,
        payload: body,
      })
      .onConflictDoNothing()
      .returning({ id: callEvents.id });
    if (!stored) {
      // Same event id, different call: a provider bug. Refusing rolls back the call this request just created.
      if (created.length > 0) throw conflict('This event id was already used for another call', { eventId: body.id });
      return { duplicate: true };
    }

    const projection = projectCall(await callHistory(tx, ctx.accountId, call.id));
    const [updated] = await tx
      .update(calls)
      .set(await columnsOf(tx, ctx.accountId, projection))
      .where(and(eq(calls.accountId, ctx.accountId), eq(calls.id, call.id)))
      .returning();
    const payload = { call: presentCall(updated!), eventType: body.type };
    for (const type of lifecycle(created.length > 0 ? null : call, updated!)) {
      await emit(tx, ctx, { type, conversationId: updated!.conversationId, customerId: updated!.customerId, payload });
    }
    return { duplicate: false, call: updated! };
  });
}
