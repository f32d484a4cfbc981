import {
  decodeCursor,
  encodeCursor,
  SLA_DUE_SOON_MINUTES,
  type ConversationListItem,
  type ConversationSort,
  type ListConversationsQuery,
  type SlaFilter,
  type SlaSummary,
} from '@touchpoint/shared';
import type { Tx } from '../../db/client';
import { rawQuery } from '../../db/raw-query';
import type { Ctx } from '../../platform/context';
import { invalid } from '../../platform/errors';
import { cursorTextSql, encodeKeyset, parseKeyset } from '../../platform/pagination';
import type { ConversationSubject } from './policy';
import { CONVERSATION_COLUMNS, conversationOf, iso, ts, type ConversationViewRow } from './read-views';

/*
 * The inbox list (GET /conversations) in one hand-written statement (see read-views.ts for why):
 *
 *   select <row, customer, channel, SLA summary, my read state>
 *     from (<the page: conversations only, filtered, ordered, limit + 1>) c
 *     left join customers / channels / conversation_slas / conversation_reads   -- primary-key probes, limit + 1 rows
 *
 * The inner page is what decides the cost; for the default order it is today's index walk (account, [status |
 * assignee | team,] last_activity_at desc, id desc). The joins for display run on the page's rows only. Each
 * combination of filters is its own statement text (prepared once per connection).
 *
 * Orders with a tail (`waiting`, `sla`) are two index-friendly segments, `union all`ed: first the rows that have the
 * key (customers waiting, oldest wait first; conversations owing an SLA target, earliest due first), then the rest
 * by last activity. The cursor names its segment. docs/inbox.md defines every term.
 */

// ---- SLA, from the sla module's clock (conversation_slas `s`) and the conversation (`c`) ----

/**
 * A target is owed while its status is pending or breached and what it measures has not happened yet: no first
 * response, a customer still waiting (next response), not resolved. A breached target that was answered late is
 * no longer owed, so it stops weighing on the order.
 */
const TARGETS = [
  { name: 'firstResponse', due: 's.first_response_due_at', status: 's.first_response_status', owed: 'c.first_response_at is null' },
  { name: 'nextResponse', due: 's.next_response_due_at', status: 's.next_response_status', owed: 'c.waiting_since is not null' },
  { name: 'resolution', due: 's.resolution_due_at', status: 's.resolution_status', owed: 'true' },
] as const;
const owedDue = (t: (typeof TARGETS)[number]) =>
  `case when ${t.status} in ('pending','breached') and ${t.owed} and c.status <> 'resolved' then ${t.due} end`;
/**
 * `d`: each target's due time while it is owed (`fr`, `nr`, `res`) and the nearest of them (`due`; null: nothing
 * owed). A projection only, which the planner flattens into the query.
 */
const SLA_DUES = `cross join lateral (select o.*, least(o.fr, o.nr, o.res) as due
             from (select ${TARGETS.map((t, i) => `${owedDue(t)} as ${['fr', 'nr', 'res'][i]}`).join(',\n                          ')}) o) d`;
const anyTarget = (status: string) => `'${status}' in (s.first_response_status, s.next_response_status, s.resolution_status)`;
/** Overdue counts as breached even before the breach job ran; a paused clock is judged as of its pause. */
const SLA_STATE_SQL = `case when s.conversation_id is null then null
         when d.due is not null then case when d.due <= coalesce(s.paused_at, now()) then 'breached' when s.paused_at is not null then 'paused' else 'running' end
         when ${anyTarget('breached')} then 'breached' when ${anyTarget('met')} then 'met' end`;
const SLA_TARGET_SQL = `case d.due when d.fr then 'firstResponse' when d.nr then 'nextResponse' when d.res then 'resolution' end`;

const UNRESOLVED = `c.status in ('open','pending','snoozed')`;
const SLA_FILTERS: Record<SlaFilter, string> = {
  breached: `(${SLA_STATE_SQL}) = 'breached'`,
  // Running means owed, so unresolved: said explicitly so the status index narrows the scan.
  running: `${UNRESOLVED} and (${SLA_STATE_SQL}) = 'running'`,
  due_soon: `${UNRESOLVED} and (${SLA_STATE_SQL}) = 'running' and d.due <= now() + interval '${SLA_DUE_SOON_MINUTES} minutes'`,
};

// ---- orders ----

type Order = ConversationSort | 'mentioned';
interface Segment {
  /** Which rows belong to the segment (null: all). */
  where: string | null;
  key: string;
  dir: 'asc' | 'desc';
  /** The segment needs the SLA clock: `inner` when it keeps only rows with one. */
  sla?: 'inner' | 'left';
}
const ORDERS: Record<Order, Segment[]> = {
  activity: [{ where: null, key: 'c.last_activity_at', dir: 'desc' }],
  mentioned: [{ where: null, key: 'mm.mentioned_at', dir: 'desc' }],
  waiting: [
    { where: 'c.waiting_since is not null', key: 'c.waiting_since', dir: 'asc' },
    { where: 'c.waiting_since is null', key: 'c.last_activity_at', dir: 'desc' },
  ],
  sla: [
    // A running clock: something owed, not paused (pending and snoozed conversations wait on the customer). Only
    // unresolved conversations owe a target: said explicitly so the status index narrows the scan.
    { where: `${UNRESOLVED} and d.due is not null and s.paused_at is null`, key: 'd.due', dir: 'asc', sla: 'inner' },
    // The complement; `status = 'resolved'` first, whose statistics show the planner that most rows pass, so it walks
    // the activity index instead of joining every clock.
    {
      where: `(c.status = 'resolved' or s.conversation_id is null or s.paused_at is not null or d.due is null)`,
      key: 'c.last_activity_at',
      dir: 'desc',
      sla: 'left',
    },
  ],
};

const orderOf = (q: ListConversationsQuery): Order => q.sort ?? (q.view === 'mentions' ? 'mentioned' : 'activity');
const badCursor = () => invalid('querystring.cursor', 'The cursor is not valid');

/** Activity cursors stay `[at, id]` (as before); the others name their order and segment: `[at, id, order, segment]`. */
function cursorOf(order: Order, seg: number, at: string, id: string): string {
  return order === 'activity' ? encodeKeyset({ at, id }) : encodeCursor([at, id, order, seg]);
}

function parseCursor(order: Order, cursor: string | undefined): { seg: number; at: string; id: string } | null {
  const key = parseKeyset(cursor);
  if (!key) return null;
  const [, , tag = 'activity', seg = 0] = decodeCursor(cursor!) ?? [];
  if (tag !== order || typeof seg !== 'number' || !Number.isInteger(seg) || seg < 0 || seg >= ORDERS[order].length) throw badCursor();
  return { seg, ...key };
}

// ---- the statement ----

interface ListViewRow extends ConversationViewRow {
  sort_at: string;
  ch_kind: string | null;
  ch_name: string | null;
  sla_state: SlaSummary['state'];
  sla_target: SlaSummary['target'];
  sla_due: string | null;
  read_at: string | null;
  unread: boolean;
}

const SLA_JOIN = 'conversation_slas s on s.account_id = c.account_id and s.conversation_id = c.id';
const slaJoin = (kind: 'inner' | 'left') => `${kind === 'inner' ? 'join' : 'left join'} ${SLA_JOIN}\n           ${SLA_DUES}`;

interface Statement {
  seg: number;
  text: string;
  params: unknown[];
}

/**
 * The statements of one page, one per segment of the order from the cursor's on; the page runs them in turn until
 * it has `limit + 1` rows (so a tail is only read once the segments before it are exhausted). Exported for the tests
 * that look at plans. The limit is part of the text (it is one of 1..100): with `limit $n` PostgreSQL cannot use a
 * generic plan (it assumes a tenth of the rows) and plans the statement again on every call.
 */
export function listStatements(ctx: Ctx, q: ListConversationsQuery): { order: Order; statements: Statement[] } {
  const base: unknown[] = [ctx.accountId];
  const bindTo = (params: unknown[]) => (value: unknown) => `$${params.push(value)}`;
  const bind = bindTo(base);
  const user = ctx.actor.kind === 'user' ? ctx.actor : null;
  const needUser = (field: string, what: string) => {
    if (!user) throw invalid(field, `'${what}' needs a logged-in user`);
    return user;
  };
  const where = ['c.account_id = $1'];
  const joins: string[] = [];
  if (q.status) where.push(`c.status = ${bind(q.status)}`);
  if (q.assigneeId === 'none') where.push('c.assignee_id is null');
  else if (q.assigneeId === 'me') where.push(`c.assignee_id = ${bind(needUser('assigneeId', 'me').userId)}`);
  else if (q.assigneeId) where.push(`c.assignee_id = ${bind(q.assigneeId)}`);
  if (q.teamId) where.push(`c.team_id = ${bind(q.teamId)}`);
  if (q.channelId) where.push(`c.channel_id = ${bind(q.channelId)}`);
  if (q.tag) where.push(`c.tags @> array[${bind(q.tag.trim().toLowerCase())}::text]`);
  if (q.priority) where.push(`c.priority = ${bind(q.priority)}`);
  if (q.customerId) where.push(`c.customer_id = ${bind(q.customerId)}`);
  switch (q.view) {
    case 'mine':
      where.push(`c.assignee_id = ${bind(needUser('querystring.view', 'mine').userId)}`);
      break;
    case 'unassigned':
      where.push('c.assignee_id is null');
      break;
    case 'teams':
      where.push(`c.team_id = any(${bind(needUser('querystring.view', 'teams').teamIds)}::uuid[])`);
      break;
    case 'mentions':
      joins.push(`join (select m.conversation_id, max(m.created_at) as mentioned_at from conversation_mentions m
                  where m.account_id = $1 and m.mentioned_user_id = ${bind(needUser('querystring.view', 'mentions').userId)}
                  group by m.conversation_id) mm on mm.conversation_id = c.id`);
      break;
  }
  if (q.sla) where.push(SLA_FILTERS[q.sla]);

  const order = orderOf(q);
  const after = parseCursor(order, q.cursor);
  const readState = user
    ? `${ts('r.read_at')},
       (c.last_customer_message_at is not null and (r.read_at is null or c.last_customer_message_at > r.read_at)) as unread`
    : 'null::text as read_at, false as unread';
  const statements = ORDERS[order].flatMap((seg, i): Statement[] => {
    if (after && i < after.seg) return [];
    const params = [...base];
    const bindHere = bindTo(params);
    const conds = [...where];
    if (seg.where) conds.push(seg.where);
    if (after && i === after.seg)
      conds.push(`(${seg.key}, c.id) ${seg.dir === 'desc' ? '<' : '>'} (${bindHere(after.at)}::timestamptz, ${bindHere(after.id)}::uuid)`);
    const sla = q.sla ? 'inner' : seg.sla;
    const from = ['conversations c', ...joins, ...(sla ? [slaJoin(sla)] : [])];
    const reads = user
      ? `\n  left join conversation_reads r on r.account_id = c.account_id and r.user_id = ${bindHere(user.userId)} and r.conversation_id = c.id`
      : '';
    const text = `select ${CONVERSATION_COLUMNS},
       c.sort_at, ch.kind as ch_kind, ch.name as ch_name,
       ${SLA_STATE_SQL} as sla_state,
       ${SLA_TARGET_SQL} as sla_target,
       ${cursorTextSql('d.due')} as sla_due,
       ${readState}
  from (select c.*, ${seg.key} as sort_key, ${cursorTextSql(`(${seg.key})`)} as sort_at
          from ${from.join('\n          ')}
         where ${conds.join('\n           and ')}
         order by ${seg.key} ${seg.dir}, c.id ${seg.dir}
         limit ${q.limit + 1}) c
  left join customers cu on cu.account_id = c.account_id and cu.id = c.customer_id
  left join channels ch on ch.account_id = c.account_id and ch.id = c.channel_id
  ${slaJoin('left')}${reads}
 order by c.sort_key ${seg.dir}, c.id ${seg.dir}`;
    return [{ seg: i, text, params }];
  });
  return { order, statements };
}

export interface ConversationListView {
  items: ConversationListItem[];
  /** What the conversation policy needs of each item (the `policies` field). */
  subjects: (ConversationSubject & { id: string })[];
  nextCursor: string | null;
}

function listItemOf(r: ListViewRow): ConversationListItem {
  return {
    ...conversationOf(r),
    channel: { id: r.channel_id, kind: r.ch_kind ?? 'other', name: r.ch_name ?? '' },
    sla: { state: r.sla_state, target: r.sla_target, dueAt: iso(r.sla_due) },
    readAt: iso(r.read_at),
    unread: r.unread,
  };
}

/** One page of the inbox: filters, view, SLA filter and order as docs/inbox.md defines them. */
export async function listConversationsView(tx: Tx, ctx: Ctx, q: ListConversationsQuery): Promise<ConversationListView> {
  const { order, statements } = listStatements(ctx, q);
  const rows: (ListViewRow & { seg: number })[] = [];
  for (const st of statements) {
    if (rows.length > q.limit) break;
    const { rows: more } = await rawQuery<ListViewRow>(tx, st.text, st.params);
    for (const r of more) rows.push({ ...r, seg: st.seg });
  }
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return {
    items: items.map(listItemOf),
    subjects: items.map((r) => ({ id: r.id, accountId: ctx.accountId, customerId: r.customer_id })),
    nextCursor: rows.length > q.limit && last ? cursorOf(order, last.seg, last.sort_at, last.id) : null,
  };
}
