import type { Conversation, ConversationStatus } from '../../api/types';

export const STATUSES: { value: ConversationStatus; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'pending', label: 'Pending' },
  { value: 'snoozed', label: 'Snoozed' },
  { value: 'resolved', label: 'Resolved' },
];

export type View = 'mine' | 'unassigned' | 'all';
export const VIEWS: { value: View; label: string }[] = [
  { value: 'mine', label: 'Mine' },
  { value: 'unassigned', label: 'Unassigned' },
  { value: 'all', label: 'All' },
];

export interface InboxFilter {
  status: ConversationStatus;
  view: View;
}

export function parseFilter(query: URLSearchParams): InboxFilter {
  const status = STATUSES.find((s) => s.value === query.get('status'))?.value ?? 'open';
  const stored = localStorage.getItem('tp.inbox.view');
  const view = VIEWS.find((v) => v.value === (query.get('view') ?? stored))?.value ?? 'all';
  return { status, view };
}

export function filterQuery(f: InboxFilter): string {
  return `?status=${f.status}&view=${f.view}`;
}

export function assigneeParam(view: View): string | undefined {
  return view === 'mine' ? 'me' : view === 'unassigned' ? 'none' : undefined;
}

/** Whether a conversation (e.g. pushed over realtime) belongs in the list the user is looking at. */
export function matchesFilter(c: Conversation, f: InboxFilter, meId: string): boolean {
  if (c.status !== f.status) return false;
  if (f.view === 'mine') return c.assigneeId === meId;
  if (f.view === 'unassigned') return c.assigneeId === null;
  return true;
}

/** The API order: most recent activity first, ties broken by id (descending). */
export function byActivity(a: Conversation, b: Conversation): number {
  const d = Date.parse(b.lastActivityAt) - Date.parse(a.lastActivityAt);
  return d !== 0 ? d : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export const STATUS_EMPTY: Record<ConversationStatus, { title: string; text: string }> = {
  open: { title: 'No open conversations — nice work', text: 'New messages from customers will show up here as they arrive.' },
  pending: { title: 'Nothing pending', text: 'Conversations waiting on someone else land here.' },
  snoozed: { title: 'No snoozed conversations', text: 'Snoozed conversations come back to Open when their time is up.' },
  resolved: { title: 'No resolved conversations yet', text: 'Resolve a conversation and it will be filed here.' },
};
