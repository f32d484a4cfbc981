import type { CallAgentRef, CallDirection, CallEventBody, CallEventType, CallStatus } from '@touchpoint/shared';

/** One stored provider event of a call, in the order the projection reads them. */
export interface StoredCallEvent {
  type: CallEventType;
  occurredAt: Date;
  payload: CallEventBody;
}

export interface HoldSpan {
  startedAt: Date;
  endedAt: Date | null;
}

export interface TransferStep {
  at: Date;
  agent: CallAgentRef | null;
  queue: string | null;
}

export interface CallProjection {
  direction: CallDirection;
  status: CallStatus;
  from: string | null;
  to: string | null;
  agent: CallAgentRef | null;
  queue: string | null;
  startedAt: Date;
  queuedAt: Date | null;
  ringingAt: Date | null;
  answeredAt: Date | null;
  endedAt: Date | null;
  abandonedAt: Date | null;
  wrapupEndedAt: Date | null;
  holds: HoldSpan[];
  transfers: TransferStep[];
  recordingUrl: string | null;
  voicemailUrl: string | null;
  durationSeconds: number | null;
}

const FIRST_TIME: Partial<Record<CallEventType, 'queuedAt' | 'ringingAt' | 'answeredAt' | 'endedAt' | 'abandonedAt' | 'wrapupEndedAt'>> = {
  'call.queued': 'queuedAt',
  'call.ringing': 'ringingAt',
  'call.answered': 'answeredAt',
  'call.ended': 'endedAt',
  'call.abandoned': 'abandonedAt',
  'wrapup.ended': 'wrapupEndedAt',
};

/**
 * The call record as a pure function of ALL its events, sorted by their provider timestamp (ties: arrival order).
 * Recomputing from the log instead of patching the row makes out-of-order delivery a non-issue: a late
 * `call.queued` still lands before the `call.answered` that overtook it, and hold/resume pairs are matched in time
 * order. Each timestamp column is the FIRST event of its type, so a redelivered or repeated event never moves it.
 */
export function projectCall(events: readonly StoredCallEvent[]): CallProjection {
  if (events.length === 0) throw new Error('A call has at least one event');
  const sorted = [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const p: CallProjection = {
    direction: 'inbound',
    status: 'queued',
    from: null,
    to: null,
    agent: null,
    queue: null,
    startedAt: sorted[0]!.occurredAt,
    queuedAt: null,
    ringingAt: null,
    answeredAt: null,
    endedAt: null,
    abandonedAt: null,
    wrapupEndedAt: null,
    holds: [],
    transfers: [],
    recordingUrl: null,
    voicemailUrl: null,
    durationSeconds: null,
  };
  let direction: CallDirection | null = null;
  let onHold: HoldSpan | null = null;
  for (const { type, occurredAt: at, payload: e } of sorted) {
    const column = FIRST_TIME[type];
    if (column && p[column] === null) p[column] = at;
    direction ??= e.direction ?? null;
    p.from ??= e.from ?? null;
    p.to ??= e.to ?? null;
    if (e.agent) p.agent = e.agent;
    if (e.queue) p.queue = e.queue;
    if (e.recordingUrl) p.recordingUrl = e.recordingUrl;
    if (e.voicemailUrl) p.voicemailUrl = e.voicemailUrl;
    if (e.durationSeconds !== undefined) p.durationSeconds = e.durationSeconds;
    if (type === 'call.hold' && !onHold) {
      onHold = { startedAt: at, endedAt: null };
      p.holds.push(onHold);
    } else if (type === 'call.resumed' && onHold) {
      onHold.endedAt = at;
      onHold = null;
    } else if (type === 'call.transferred') {
      const target = e.transferTo;
      p.transfers.push({ at, agent: target?.agent ?? null, queue: target?.queue ?? null });
      if (target?.agent) p.agent = target.agent;
      if (target?.queue) p.queue = target.queue;
    }
  }
  p.direction = direction ?? 'inbound';
  // A hold still open when the call ends ends with it: hold time must stay bounded for handle-time maths.
  const end = p.endedAt ?? p.abandonedAt;
  if (onHold && end && end >= onHold.startedAt) {
    onHold.endedAt = end;
    onHold = null;
  }
  p.status = p.abandonedAt
    ? 'abandoned'
    : p.endedAt
      ? p.answeredAt
        ? 'ended'
        : 'missed'
      : onHold
        ? 'on_hold'
        : p.answeredAt
          ? 'answered'
          : p.ringingAt
            ? 'ringing'
            : 'queued';
  return p;
}

/** The number of the customer's side of the call: the caller when inbound, the callee when outbound. */
export function customerNumber(call: { direction: string; fromNumber: string | null; toNumber: string | null }): string | null {
  return call.direction === 'outbound' ? call.toNumber : call.fromNumber;
}
