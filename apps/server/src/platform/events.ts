import type { DomainEvent, EventPayloads, EventType } from '@touchpoint/shared';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import type { Db, Tx } from '../db/client';
import { events } from '../db/schema';
import { withSystem, withTenant } from '../db/tenant';
import { actorRef, systemCtx, type Ctx } from './context';
import { defineJob, type JobQueue } from './jobs';
import { flushUnit, registerGuard, unitOf } from './outbox';

/** A stored domain event, narrowed by `type`: `StoredEvent<'message.created'>` has that event's payload. */
export type StoredEvent<K extends EventType = EventType> = DomainEvent<K>;

/** What a command emits: the type, the subjects and the typed payload. */
export type NewEvent<K extends EventType = EventType> = {
  [T in K]: { type: T; conversationId?: string | null; customerId?: string | null; payload: EventPayloads[T] };
}[K];

export type Listener<K extends EventType = EventType> = (event: StoredEvent<K>, ctx: Ctx) => Promise<void>;

export interface ListenerOptions<K extends EventType = EventType> {
  /**
   * Decides at emit time, from the event alone, whether the listener needs a job at all. Must depend on nothing
   * but the event (node-local state can be stale on another node and would lose events there).
   */
  when?: (event: StoredEvent<K>) => boolean;
  /**
   * A boolean SQL expression over the event being written (`e.account_id`, `e.type`, `e.conversation_id`,
   * `e.customer_id`, `e.payload`), evaluated in the statement that writes it: for what only the database knows
   * (the account has an SLA policy, an active rule for the type, a channel of this kind). No job when false.
   */
  guard?: string;
}

export type CommitHook = (events: StoredEvent[]) => void;

interface RegisteredListener {
  types: Set<string>;
  run: Listener;
  when?: (event: StoredEvent) => boolean;
  guard?: string;
}

/**
 * Appends a domain event to the command's unit of work. The events and the listener jobs they need are written in
 * one statement just before COMMIT (platform/outbox.ts), so the event, the change that caused it and the work it
 * calls for commit together or not at all; realtime and local workers hear of them only after COMMIT.
 */
export async function emit<K extends EventType>(tx: Tx, ctx: Ctx, event: NewEvent<K>): Promise<StoredEvent<K>> {
  const unit = unitOf(tx);
  if (!unit) throw new Error('emit() must run inside command() so events are published after commit');
  const actor = actorRef(ctx.actor);
  const row = {
    id: uuidv7(),
    accountId: ctx.accountId,
    type: event.type,
    actorKind: actor.kind,
    actorId: actor.id,
    causationId: ctx.causation?.eventId ?? null,
    causationDepth: ctx.causation ? ctx.causation.depth + 1 : 0,
    conversationId: event.conversationId ?? null,
    customerId: event.customerId ?? null,
    payload: event.payload,
    createdAt: new Date(),
  } as StoredEvent<K>;
  unit.events.push(row as unknown as StoredEvent);
  ctx.events.jobsFor(row as unknown as StoredEvent, unit.jobs);
  return row;
}

/** Writes what the transaction emitted so far; for the rare command that must read its own events back. */
export async function flushEvents(tx: Tx): Promise<void> {
  const unit = unitOf(tx);
  if (unit) await flushUnit(tx, unit);
}

const ZListenerJob = z.object({
  listener: z.string(),
  eventId: z.uuid(),
  accountId: z.uuid(),
  /** The event itself, so the listener re-reads nothing (absent in jobs written before it was carried). */
  event: z.record(z.string(), z.unknown()).optional(),
});

function revive(json: Record<string, unknown>): StoredEvent {
  return { ...(json as unknown as StoredEvent), createdAt: new Date(json.createdAt as string) };
}

/**
 * The event bus: commit hooks (realtime, first, in process) and durable listeners (one job per interested listener
 * per event, written with the event, so a failing listener retries alone). Delivery to listeners is at least once:
 * they are idempotent.
 */
export class EventBus {
  private readonly listeners = new Map<string, RegisteredListener>();
  private readonly hooks: CommitHook[] = [];
  private db!: Db;
  private jobs!: JobQueue;
  /** Failures that nobody's request saw: a commit hook that threw, a legacy outbox sweep that failed. */
  readonly errors = { commitHook: 0, sweep: 0 };
  onError: (err: unknown, where: string) => void = () => {};

  readonly listenerJob = defineJob({
    name: 'listener',
    schema: ZListenerJob,
    options: { retryLimit: 8, retryDelay: 2, retryBackoff: true, expireInSeconds: 300 },
    // Jobs of one listener for one conversation run in order; everything else runs side by side.
    groupBy: ({ listener, event }) => `${listener}:${(event?.conversationId as string | undefined) ?? ''}`,
    run: async ({ listener, eventId, accountId, event: carried }) => {
      const l = this.listeners.get(listener);
      if (!l) throw new Error(`Unknown listener ${listener}`);
      const event = carried ? revive(carried) : await this.readEvent(accountId, eventId);
      if (!event) throw new Error(`Event ${eventId} not found`);
      await l.run(
        event,
        systemCtx({ db: this.db, events: this }, accountId, `listener:${listener}`, { eventId, depth: event.causationDepth }),
      );
    },
  });

  attach(db: Db, jobs: JobQueue): void {
    this.db = db;
    this.jobs = jobs;
    jobs.register(this.listenerJob);
  }

  /** A durable listener; `name` is its stable identity in the job queue. */
  on<K extends EventType>(name: string, types: readonly K[], run: Listener<K>, options: ListenerOptions<K> = {}): void {
    if (this.listeners.has(name)) throw new Error(`Listener ${name} is registered twice`);
    if (options.guard) registerGuard(`listener:${name}`, options.guard);
    this.listeners.set(name, {
      types: new Set(types),
      run: run as Listener,
      when: options.when as ((event: StoredEvent) => boolean) | undefined,
      guard: options.guard,
    });
  }

  /** Appends the listener jobs an event needs (decided now, from the event; guards are checked when written). */
  jobsFor(event: StoredEvent, into: { job: ReturnType<JobQueue['jobRow']>; guard?: string; eventId?: string }[]): void {
    for (const [name, l] of this.listeners) {
      if (!l.types.has(event.type) || (l.when && !l.when(event))) continue;
      const data = { listener: name, eventId: event.id, accountId: event.accountId, event: event as unknown as Record<string, unknown> };
      into.push({
        // Written once, with the event, so no dedupe key is needed; a time-ordered id keeps the jobs of one
        // transaction in emit order (pg-boss orders by created_on, which they share, then id).
        job: { ...this.jobs.jobRow(this.listenerJob, data), id: uuidv7() },
        guard: l.guard ? `listener:${name}` : undefined,
        eventId: event.id,
      });
    }
  }

  /** Runs synchronously after commit, in this process (realtime fan-out). Must not throw or block. */
  onCommit(hook: CommitHook): void {
    this.hooks.push(hook);
  }

  /** Called by command() after COMMIT, with the events and the names of the queues it wrote jobs to. */
  committed(list: StoredEvent[], queues: Iterable<string> = []): void {
    this.jobs?.wake(queues);
    if (list.length === 0) return;
    for (const hook of this.hooks) {
      try {
        hook(list);
      } catch (err) {
        // The request already committed; its answer must not fail. Counted and logged instead of swallowed.
        this.errors.commitHook++;
        this.onError(err, 'commit hook');
      }
    }
  }

  private readEvent(accountId: string, eventId: string): Promise<StoredEvent | undefined> {
    return withTenant(this.db, accountId, async (tx) => {
      const [row] = await tx.select().from(events).where(eq(events.id, eventId));
      return row as StoredEvent | undefined;
    });
  }

  /**
   * Events left undispatched by a version that dispatched after commit (the outbox poller this replaced): their
   * listener jobs are written once, at start. New events never need it.
   */
  async sweepLegacyOutbox(batch = 200): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        const n = await withSystem(this.db, async (tx) => {
          const rows = (await tx
            .select()
            .from(events)
            .where(isNull(events.dispatchedAt))
            .orderBy(asc(events.createdAt))
            .limit(batch)
            .for('update', { skipLocked: true })) as unknown as StoredEvent[];
          if (rows.length === 0) return 0;
          for (const row of rows) {
            const pending: Parameters<EventBus['jobsFor']>[1] = [];
            this.jobsFor(row, pending);
            // Guards are not re-checked here: the listener itself is idempotent and finds nothing to do.
            for (const p of pending) await this.jobs.insertRows(tx, [p.job]);
          }
          await tx
            .update(events)
            .set({ dispatchedAt: sql`now()` })
            .where(
              and(
                inArray(
                  events.id,
                  rows.map((r) => r.id),
                ),
                isNull(events.dispatchedAt),
              ),
            );
          return rows.length;
        });
        total += n;
        if (n < batch) return total;
      }
    } catch (err) {
      this.errors.sweep++;
      this.onError(err, 'legacy outbox sweep');
      return total;
    }
  }

  /** For tests and the CLI: run every due job, until quiet. */
  async settle(): Promise<void> {
    await this.jobs.drain();
  }
}
