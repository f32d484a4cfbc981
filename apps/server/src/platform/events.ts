import type { EventType } from '@touchpoint/shared';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import type { Db, Tx } from '../db/client';
import { events } from '../db/schema';
import { withTenant } from '../db/tenant';
import { actorRef, systemCtx, type Ctx } from './context';
import { defineJob, type JobQueue } from './jobs';

export interface NewEvent {
  type: EventType;
  conversationId?: string | null;
  customerId?: string | null;
  payload?: Record<string, unknown>;
}

export interface StoredEvent {
  id: string;
  accountId: string;
  type: EventType;
  actorKind: string;
  actorId: string | null;
  causationId: string | null;
  causationDepth: number;
  conversationId: string | null;
  customerId: string | null;
  payload: Record<string, unknown>;
  createdAt: Date;
}

export type Listener = (event: StoredEvent, ctx: Ctx) => Promise<void>;
export interface ListenerOptions {
  /**
   * Decides at dispatch time, from the stored event alone, whether the listener needs a job at all. Listeners
   * that care about a small share of a busy event type (e.g. only the first agent reply among all messages) keep
   * the job queue out of the hot path this way.
   */
  when?: (event: StoredEvent) => boolean;
}
export type CommitHook = (events: StoredEvent[]) => void;

/** Events emitted inside a transaction, published once it commits. */
const pendingByTx = new WeakMap<Tx, StoredEvent[]>();

/**
 * Appends a domain event to the outbox inside the command's transaction. It becomes visible to realtime and
 * listeners only if the transaction commits.
 */
export async function emit(tx: Tx, ctx: Ctx, event: NewEvent): Promise<StoredEvent> {
  const actor = actorRef(ctx.actor);
  const row: StoredEvent = {
    id: uuidv7(),
    accountId: ctx.accountId,
    type: event.type,
    actorKind: actor.kind,
    actorId: actor.id,
    causationId: ctx.causation?.eventId ?? null,
    causationDepth: ctx.causation ? ctx.causation.depth + 1 : 0,
    conversationId: event.conversationId ?? null,
    customerId: event.customerId ?? null,
    payload: event.payload ?? {},
    createdAt: new Date(),
  };
  // An event no listener wants is stored already dispatched: it stays in the audit trail, and the dispatcher never
  // spends a transaction on it (most messages, for instance, interest nobody after realtime has pushed them).
  const dispatchedAt = ctx.events.wants(row) ? null : row.createdAt;
  await tx.insert(events).values({ ...row, dispatchedAt });
  const pending = pendingByTx.get(tx);
  if (!pending) throw new Error('emit() must run inside command() so events are published after commit');
  pending.push(row);
  return row;
}

const ZListenerJob = z.object({ listener: z.string(), eventId: z.uuid(), accountId: z.uuid() });

/**
 * The event bus: commit hooks (realtime, first, in process) and durable listeners (one job per listener per
 * event, so a failing listener retries alone). Delivery to listeners is at least once: they are idempotent.
 */
export class EventBus {
  private readonly listeners = new Map<string, { types: Set<string>; run: Listener; when?: ListenerOptions['when'] }>();
  private readonly hooks: CommitHook[] = [];
  private db!: Db;
  private jobs!: JobQueue;
  private timer: NodeJS.Timeout | undefined;
  private dispatching: Promise<number> | null = null;
  private again = false;

  readonly listenerJob = defineJob({
    name: 'listener',
    schema: ZListenerJob,
    options: { retryLimit: 8, retryDelay: 2, retryBackoff: true, expireInSeconds: 300 },
    run: async ({ listener, eventId, accountId }) => {
      const l = this.listeners.get(listener);
      if (!l) throw new Error(`Unknown listener ${listener}`);
      const event = await withTenant(this.db, accountId, async (tx) => {
        const [row] = await tx.select().from(events).where(eq(events.id, eventId));
        return row as StoredEvent | undefined;
      });
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
  on(name: string, types: readonly EventType[], run: Listener, options: ListenerOptions = {}): void {
    if (this.listeners.has(name)) throw new Error(`Listener ${name} is registered twice`);
    this.listeners.set(name, { types: new Set(types), run, when: options.when });
  }

  /** Whether any durable listener needs a job for this event. */
  wants(event: StoredEvent): boolean {
    for (const l of this.listeners.values()) if (l.types.has(event.type) && (!l.when || l.when(event))) return true;
    return false;
  }

  /** Runs synchronously after commit, in this process (realtime fan-out). Must not throw or block. */
  onCommit(hook: CommitHook): void {
    this.hooks.push(hook);
  }

  /** Called by command() after COMMIT. */
  committed(list: StoredEvent[]): void {
    for (const hook of this.hooks) {
      try {
        hook(list);
      } catch {
        /* a commit hook failing must not fail the request that already committed */
      }
    }
    if (list.some((e) => this.wants(e))) this.kick();
  }

  /** Schedules a dispatch soon; coalesces bursts into one pass. */
  kick(): void {
    if (!this.db) return;
    if (this.dispatching) {
      this.again = true;
      return;
    }
    setImmediate(() => void this.dispatchPending().catch(() => {}));
  }

  /**
   * Moves undispatched events from the outbox into the job queue, one job per interested listener, in one
   * transaction (SKIP LOCKED, so several nodes can dispatch at once without doubling jobs).
   */
  dispatchPending(batch = 200): Promise<number> {
    if (this.dispatching) {
      this.again = true;
      return this.dispatching;
    }
    this.dispatching = (async () => {
      let total = 0;
      try {
        for (;;) {
          this.again = false;
          const n = await this.dispatchBatch(batch);
          total += n;
          if (n < batch && !this.again) break;
        }
      } finally {
        this.dispatching = null;
      }
      return total;
    })();
    return this.dispatching;
  }

  private async dispatchBatch(batch: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = (await tx
        .select()
        .from(events)
        .where(isNull(events.dispatchedAt))
        .orderBy(asc(events.createdAt))
        .limit(batch)
        .for('update', { skipLocked: true })) as StoredEvent[];
      if (rows.length === 0) return 0;
      for (const row of rows) {
        for (const [name, l] of this.listeners) {
          if (!l.types.has(row.type) || (l.when && !l.when(row))) continue;
          await this.jobs.enqueue(
            this.listenerJob,
            { listener: name, eventId: row.id, accountId: row.accountId },
            { tx, dedupeKey: `${name}:${row.id}` },
          );
        }
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
  }

  /** Polls the outbox too, for events committed by other processes or left by a crash. */
  startDispatcher(intervalMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.dispatching?.catch(() => {});
  }

  /** For tests and the CLI: dispatch everything, then run every job, until quiet. */
  async settle(): Promise<void> {
    for (let i = 0; i < 20; i++) {
      const n = await this.dispatchPending();
      await this.jobs.drain();
      if (n === 0 && (await this.dispatchPending()) === 0) return;
    }
  }

  /** Internal: the transaction wrapper registers its event list here. */
  static track(tx: Tx, list: StoredEvent[]): void {
    pendingByTx.set(tx, list);
  }
}
