import type { Call, CallDirection, CallStatus } from '@touchpoint/shared';
import type { calls } from '../../db/schema';

export type CallRow = typeof calls.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentCall(c: CallRow): Call {
  return {
    id: c.id,
    channelId: c.channelId,
    conversationId: c.conversationId,
    customerId: c.customerId,
    providerCallId: c.providerCallId,
    direction: c.direction as CallDirection,
    status: c.status as CallStatus,
    from: c.fromNumber,
    to: c.toNumber,
    agentUserId: c.agentUserId,
    agentEmail: c.agentEmail,
    agentExternalId: c.agentExternalId,
    queue: c.queue,
    startedAt: c.startedAt.toISOString(),
    queuedAt: iso(c.queuedAt),
    ringingAt: iso(c.ringingAt),
    answeredAt: iso(c.answeredAt),
    endedAt: iso(c.endedAt),
    abandonedAt: iso(c.abandonedAt),
    wrapupEndedAt: iso(c.wrapupEndedAt),
    holds: c.holds,
    transfers: c.transfers,
    recordingUrl: c.recordingUrl,
    voicemailUrl: c.voicemailUrl,
    durationSeconds: c.durationSeconds,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
