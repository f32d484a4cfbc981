import { PRIORITIES, type Conversation, type ConversationStatus, type Priority } from '../../api/types';
import { t } from './messages';

type MessageKey = Parameters<typeof t>[0];

/** A choice whose label is looked up when read, so it follows the locale. */
function option<V extends string>(value: V, key: MessageKey): { value: V; label: string } {
  return {
    value,
    get label() {
      return t(key);
    },
  };
}

export const STATUSES: { value: ConversationStatus; label: string }[] = [
  option('open', 'statusOpen'),
  option('pending', 'statusPending'),
  option('snoozed', 'statusSnoozed'),
  option('resolved', 'statusResolved'),
];

export type View = 'mine' | 'unassigned' | 'teams' | 'all' | 'mentions';
export const VIEWS: { value: View; label: string }[] = [
  option('mine', 'viewMine'),
  option('unassigned', 'viewUnassigned'),
  option('teams', 'viewTeams'),
  option('all', 'viewAll'),
  option('mentions', 'viewMentions'),
];

export type SlaFilter = 'breached' | 'due_soon' | 'running';
export const SLA_FILTERS: { value: SlaFilter; label: string }[] = [
  option('breached', 'slaBreachedFilter'),
  option('due_soon', 'slaDueSoon'),
  option('running', 'slaRunning'),
];

export type Sort = 'activity' | 'waiting' | 'sla';
export const SORTS: { value: Sort; label: string }[] = [
  option('activity', 'sortActivity'),
  option('waiting', 'sortWaiting'),
  option('sla', 'sortSla'),
];

/** The inbox's URL search params (typed; anything unknown or malformed is dropped, never an error). */
export interface InboxSearch {
  status?: ConversationStatus;
  view?: View;
  channelId?: string;
  teamId?: string;
  tag?: string;
  priority?: Priority;
  sla?: SlaFilter;
  sort?: Sort;
  q?: string;
  savedView?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const oneOf = <T extends string>(list: readonly { value: T }[], v: unknown): T | undefined => list.find((x) => x.value === v)?.value;
const uuid = (v: unknown) => (typeof v === 'string' && UUID.test(v) ? v : undefined);
const text = (v: unknown, max: number) => (typeof v === 'string' && v.trim() && v.length <= max ? v : undefined);

export function parseInboxSearch(s: Record<string, unknown>): InboxSearch {
  const out: InboxSearch = {
    status: oneOf(STATUSES, s.status),
    view: oneOf(VIEWS, s.view),
    channelId: uuid(s.channelId),
    teamId: uuid(s.teamId),
    tag: text(s.tag, 50),
    priority: PRIORITIES.find((p) => p === s.priority),
    sla: oneOf(SLA_FILTERS, s.sla),
    sort: oneOf(SORTS, s.sort),
    q: text(s.q, 200),
    savedView: uuid(s.savedView),
  };
  for (const k of Object.keys(out) as (keyof InboxSearch)[]) if (out[k] === undefined) delete out[k];
  return out;
}

export interface InboxFilter {
  status: ConversationStatus;
  view: View;
  channelId?: string;
  teamId?: string;
  tag?: string;
  priority?: Priority;
  sla?: SlaFilter;
  sort: Sort;
}

/** The effective filter: search params over the last view the user picked (remembered per browser). */
export function filterOf(search: InboxSearch): InboxFilter {
  const stored = oneOf(VIEWS, localStorage.getItem('tp.inbox.view'));
  return {
    status: search.status ?? 'open',
    view: search.view ?? stored ?? 'all',
    channelId: search.channelId,
    teamId: search.teamId,
    tag: search.tag,
    priority: search.priority,
    sla: search.sla,
    sort: search.sort ?? 'activity',
  };
}

/** The query string of a filter (defaults left out, so plain URLs stay plain). */
export function filterQuery(f: InboxFilter): string {
  const params = new URLSearchParams({ status: f.status, view: f.view });
  for (const k of ['channelId', 'teamId', 'tag', 'priority', 'sla'] as const) if (f[k]) params.set(k, f[k]);
  if (f.sort !== 'activity') params.set('sort', f.sort);
  return `?${params}`;
}

export function assigneeParam(view: View): string | undefined {
  return view === 'mine' ? 'me' : view === 'unassigned' ? 'none' : undefined;
}

/** Who is looking: what "mine" and "my teams" mean on this client. */
export interface Viewer {
  meId: string;
  myTeamIds: ReadonlySet<string>;
}

/**
 * Whether a conversation (e.g. pushed over realtime) belongs in the list the user is looking at; null when only
 * the server can tell (mentions, SLA state), and the list refetches instead.
 */
export function matchesFilter(c: Conversation, f: InboxFilter, who: Viewer): boolean | null {
  if (c.status !== f.status) return false;
  if (f.channelId && c.channelId !== f.channelId) return false;
  if (f.teamId && c.teamId !== f.teamId) return false;
  if (f.priority && c.priority !== f.priority) return false;
  if (f.tag && !c.tags.includes(f.tag)) return false;
  if (f.view === 'mine' && c.assigneeId !== who.meId) return false;
  if (f.view === 'unassigned' && c.assigneeId !== null) return false;
  if (f.view === 'teams' && !(c.teamId && who.myTeamIds.has(c.teamId))) return false;
  if (f.view === 'mentions' || f.sla) return null;
  return true;
}

/** The API order: most recent activity first, ties broken by id (descending). */
export function byActivity(a: Conversation, b: Conversation): number {
  const d = Date.parse(b.lastActivityAt) - Date.parse(a.lastActivityAt);
  return d !== 0 ? d : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export const STATUS_EMPTY: Record<ConversationStatus, { title: string; text: string }> = {
  open: empty('emptyOpenTitle', 'emptyOpenText'),
  pending: empty('emptyPendingTitle', 'emptyPendingText'),
  snoozed: empty('emptySnoozedTitle', 'emptySnoozedText'),
  resolved: empty('emptyResolvedTitle', 'emptyResolvedText'),
};

/** An empty-list message whose texts are looked up when read (so they follow the locale). */
function empty(title: MessageKey, text: MessageKey): { title: string; text: string } {
  return {
    get title() {
      return t(title);
    },
    get text() {
      return t(text);
    },
  };
}
