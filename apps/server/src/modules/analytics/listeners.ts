import { kpiFacts } from '../../db/schema';
import type { Ctx } from '../../platform/context';
import type { StoredEvent } from '../../platform/events';
import type { AppDeps } from '../../platform/module';
import { command } from '../../platform/tx';

type NewFact = typeof kpiFacts.$inferInsert;

const seconds = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 1000;

/** `message.created` -> `first_response` when this message is the conversation's first human response. */
export function firstResponseFact(event: StoredEvent): NewFact | null {
  if (event.type !== 'message.created') return null;
  const { message, conversation } = event.payload;
  if (!conversation.firstResponseAt) return null;
  if (message.kind !== 'outgoing' || message.authorKind !== 'agent' || conversation.firstResponseAt !== message.createdAt) return null;
  return {
    accountId: event.accountId,
    kind: 'first_response',
    eventId: event.id,
    conversationId: conversation.id,
    customerId: conversation.customerId,
    userId: message.authorUserId,
    teamId: conversation.teamId,
    channelId: message.channelId,
    valueSeconds: seconds(conversation.createdAt, conversation.firstResponseAt),
    startedAt: new Date(conversation.createdAt),
    endedAt: new Date(conversation.firstResponseAt),
    occurredAt: new Date(conversation.firstResponseAt),
  };
}

/** `conversation.status_changed` -> `resolution` (to resolved) or `reopen` (resolved -> open). */
export function statusFact(event: StoredEvent): NewFact | null {
  if (event.type !== 'conversation.status_changed') return null;
  const { conversation: c, from, to, reason } = event.payload;
  const base = {
    accountId: event.accountId,
    eventId: event.id,
    conversationId: c.id,
    customerId: c.customerId,
    userId: c.assigneeId,
    teamId: c.teamId,
    channelId: c.channelId,
  };
  const by = { actor: { kind: event.actorKind, id: event.actorId }, reopenCount: c.reopenCount };
  if (to === 'resolved' && c.resolvedAt) {
    return {
      ...base,
      kind: 'resolution',
      valueSeconds: seconds(c.createdAt, c.resolvedAt),
      startedAt: new Date(c.createdAt),
      endedAt: new Date(c.resolvedAt),
      occurredAt: new Date(c.resolvedAt),
      attributes: by,
    };
  }
  if (from === 'resolved' && to === 'open' && c.reopenedAt) {
    return {
      ...base,
      kind: 'reopen',
      // How long the conversation stayed resolved before it came back.
      valueSeconds: c.resolvedAt ? seconds(c.resolvedAt, c.reopenedAt) : null,
      startedAt: c.resolvedAt ? new Date(c.resolvedAt) : null,
      endedAt: new Date(c.reopenedAt),
      occurredAt: new Date(c.reopenedAt),
      attributes: { ...by, reason: reason ?? null },
    };
  }
  return null;
}

/** Appends a fact once per (event, kind), however often the listener runs. */
export async function recordFact(ctx: Ctx, fact: NewFact | null): Promise<void> {
  if (!fact) return;
  await command(ctx, (tx) =>
    tx
      .insert(kpiFacts)
      .values(fact)
      .onConflictDoNothing({ target: [kpiFacts.eventId, kpiFacts.kind] }),
  );
}

/** Buses that already have the listener (tests may register it on an app built without this module). */
const registered = new WeakSet<object>();

/**
 * Append-only KPI facts with raw timestamps, so every metric variant (business hours, thresholds) is derived
 * later and dashboards never rescan messages.
 */
export function registerKpiFactListeners(deps: Pick<AppDeps, 'events'>): void {
  if (registered.has(deps.events)) return;
  registered.add(deps.events);
  const factOf = (event: StoredEvent) => (event.type === 'message.created' ? firstResponseFact(event) : statusFact(event));
  deps.events.on(
    'analytics.kpi-facts',
    ['message.created', 'conversation.status_changed'],
    (event, ctx) => recordFact(ctx, factOf(event)),
    {
      // Only events that make a fact get a job: most messages are not a conversation's first response.
      when: (event) => factOf(event) !== null,
    },
  );
}
