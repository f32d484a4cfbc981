import type { Tx } from '../db/client';
import { isFused } from '../db/fused-begin';
import { rawQuery } from '../db/raw-query';
import type { StoredEvent } from './events';

/** A job row as `touchpoint_enqueue(json)` (db/migrate.ts) inserts it into pg-boss's table. */
export interface JobRow {
  id?: string;
  name: string;
  data: unknown;
  start_after?: string;
  expire_in_seconds: number;
  retry_limit: number;
  retry_delay: number;
  retry_backoff: boolean;
}

export interface PendingJob {
  job: JobRow;
  /** A listener's SQL guard, checked in the flushing statement (so it sees this transaction's own writes). */
  guard?: string;
  eventId?: string;
}

/** What one command's transaction has emitted and enqueued; written in one statement before COMMIT. */
export interface Unit {
  /** Not written yet. */
  events: StoredEvent[];
  jobs: PendingJob[];
  /** Everything the transaction emitted, and the queues it wrote jobs to: what to publish after COMMIT. */
  emitted: StoredEvent[];
  queues: Set<string>;
}

const units = new WeakMap<Tx, Unit>();

export function beginUnit(tx: Tx): Unit {
  const unit: Unit = { events: [], jobs: [], emitted: [], queues: new Set() };
  units.set(tx, unit);
  return unit;
}

export function unitOf(tx: Tx): Unit | undefined {
  return units.get(tx);
}

/**
 * SQL guards: a listener that cares about a small share of an event type, for a reason only the database knows
 * (the account has an SLA policy, an active rule for the type, a channel of the adapter's kind), says so as a
 * boolean SQL expression over the inserted event `e` (account_id, type, conversation_id, customer_id, payload).
 * Evaluated in the same statement that writes the events, inside the command's transaction: never stale, unlike a
 * node-local cache, and free of an extra round trip.
 */
const guards = new Map<string, string>();
let statements: { events: string; eventsAndJobs: string; jobs: string } | null = null;

export function registerGuard(name: string, sqlExpression: string): void {
  const known = guards.get(name);
  if (known !== undefined && known !== sqlExpression) throw new Error(`Guard ${name} is registered twice with different SQL`);
  guards.set(name, sqlExpression);
  statements = null;
}

const EVENT_COLUMNS = `id uuid, account_id uuid, type text, actor_kind text, actor_id uuid, causation_id uuid,
  causation_depth float8, conversation_id uuid, customer_id uuid, payload jsonb, created_at timestamptz`;

function build() {
  const cases = [...guards].map(([name, expr]) => `when '${name.replace(/'/g, "''")}' then (${expr})`).join(' ');
  const insertEvents = `insert into events (id, account_id, type, actor_kind, actor_id, causation_id, causation_depth,
      conversation_id, customer_id, payload, created_at, dispatched_at)
    select id, account_id, type, actor_kind, actor_id, causation_id, causation_depth, conversation_id, customer_id,
      payload, created_at, created_at
    from json_to_recordset($1::json) as x(${EVENT_COLUMNS})`;
  const selectJobs = (withEvents: boolean) => `select touchpoint_enqueue(coalesce((
      select json_agg(j.job) from json_to_recordset($${withEvents ? 2 : 1}::json) as j(job json, guard text, event_id uuid)
      ${withEvents ? 'left join ev e on e.id = j.event_id' : ''}
      where case coalesce(j.guard, '') when '' then true ${withEvents ? cases : ''} else false end
    ), '[]'::json))`;
  return {
    events: insertEvents,
    eventsAndJobs: `with ev as (${insertEvents} returning id, account_id, type, conversation_id, customer_id, payload) ${selectJobs(true)}`,
    jobs: selectJobs(false),
  };
}

const eventJson = (e: StoredEvent) => ({
  id: e.id,
  account_id: e.accountId,
  type: e.type,
  actor_kind: e.actorKind,
  actor_id: e.actorId,
  causation_id: e.causationId,
  causation_depth: e.causationDepth,
  conversation_id: e.conversationId,
  customer_id: e.customerId,
  payload: e.payload,
  created_at: e.createdAt.toISOString(),
});

/** A JSON text as an SQL literal: dollar-quoted with a tag the text does not contain, so nothing needs escaping. */
function literal(json: string): string {
  let tag = 'tp';
  while (json.includes(`$${tag}$`)) tag += 'x';
  return `$${tag}$${json}$${tag}$::json`;
}

const clientOf = (tx: Tx): unknown => (tx as unknown as { session?: { client?: unknown } }).session?.client;

/**
 * Writes the unit's events and jobs (those whose guard holds) in one statement; empties the unit. At commit, on a
 * connection that can (db/fused-begin.ts), the statement travels with the COMMIT itself, its JSON as literals: a
 * command then costs no round trip of its own for its events and jobs.
 */
export async function flushUnit(tx: Tx, unit: Unit, opts: { atCommit?: boolean } = {}): Promise<void> {
  if (unit.events.length === 0 && unit.jobs.length === 0) return;
  statements ??= build();
  const evs = JSON.stringify(unit.events.map(eventJson));
  const jobs = JSON.stringify(unit.jobs.map((j) => ({ job: j.job, guard: j.guard ?? null, event_id: j.eventId ?? null })));
  const [text, params] =
    unit.jobs.length === 0
      ? [statements.events, [evs]]
      : unit.events.length === 0
        ? [statements.jobs, [jobs]]
        : [statements.eventsAndJobs, [evs, jobs]];
  unit.emitted.push(...unit.events);
  for (const j of unit.jobs) unit.queues.add(j.job.name);
  unit.events = [];
  unit.jobs = [];
  const client = clientOf(tx);
  if (opts.atCommit && isFused(client)) {
    // One pass over the statement's own text: a literal's content is never rescanned.
    client.beforeCommit(text.replace(/\$(\d)::json/g, (_, n: string) => literal(params[Number(n) - 1]!)));
    return;
  }
  await rawQuery(tx, text, params);
}
