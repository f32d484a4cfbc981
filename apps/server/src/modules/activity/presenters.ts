import type { ActivityData, ActivityItem, ActivityRef, ActivityType } from '@touchpoint/shared';
import { isoOfCursorText } from '../../platform/pagination';
import type { ActivityRow, Names } from './queries';

/*
 * Stored events and routing decisions -> the thread's activity entries: typed `data` (ids with names) and one English
 * sentence. The payloads are read defensively: an event written by an older version may lack a field.
 */

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const MAX_CANDIDATES = 10;

type Payload = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const obj = (v: unknown): Payload => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Payload) : {});
const isUuid = (v: string | null): v is string => !!v && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

function explanationOf(row: ActivityRow) {
  const e = obj(row.payload.explanation);
  return { e, candidates: (Array.isArray(e.candidates) ? e.candidates : []).map(obj).slice(0, MAX_CANDIDATES) };
}

/** Every id a page refers to, by kind, for one name lookup. */
export function referencedIds(rows: ActivityRow[]) {
  const users = new Set<string>();
  const teams = new Set<string>();
  const apiKeys = new Set<string>();
  const rules = new Set<string>();
  for (const r of rows) {
    if (r.actorKind === 'user' && r.actorId) users.add(r.actorId);
    if (r.actorKind === 'api_key' && r.actorId) apiKeys.add(r.actorId);
    if (r.actorKind === 'automation' && r.actorId) rules.add(r.actorId);
    const p = r.payload;
    if (r.type === 'conversation.assigned') {
      const prev = obj(p.previous);
      for (const id of [p.assigneeId, prev.assigneeId]) if (isUuid(str(id))) users.add(id as string);
      for (const id of [p.teamId, prev.teamId]) if (isUuid(str(id))) teams.add(id as string);
    } else if (r.type === 'routing.requested') {
      if (isUuid(str(p.teamId))) teams.add(p.teamId as string);
    } else if (r.type === 'routing.decision') {
      const { e, candidates } = explanationOf(r);
      if (isUuid(str(p.winnerId))) users.add(p.winnerId as string);
      for (const c of candidates) if (isUuid(str(c.userId))) users.add(c.userId as string);
      for (const id of (str(e.why) ?? '').match(UUID) ?? []) users.add(id.toLowerCase());
    }
  }
  return { users: [...users], teams: [...teams], apiKeys: [...apiKeys], rules: [...rules] };
}

const ref = (map: Map<string, string>, id: unknown): ActivityRef | null => {
  const s = str(id);
  return s ? { id: s, name: map.get(s) ?? null } : null;
};

const TARGET_LABEL = { firstResponse: 'First response', nextResponse: 'Next response', resolution: 'Resolution' } as const;
const STATUS_VERB: Record<string, string> = {
  open: 'reopened the conversation',
  pending: 'marked the conversation pending',
  resolved: 'resolved the conversation',
  snoozed: 'snoozed the conversation',
};

function dataOf(row: ActivityRow, names: Names): ActivityData | null {
  const p = row.payload;
  switch (row.type as ActivityType) {
    case 'conversation.assigned': {
      const prev = obj(p.previous);
      return {
        type: 'conversation.assigned',
        assignee: ref(names.users, p.assigneeId),
        previousAssignee: ref(names.users, prev.assigneeId),
        team: ref(names.teams, p.teamId),
        previousTeam: ref(names.teams, prev.teamId),
        routed: p.routed === true,
      };
    }
    case 'conversation.priority_changed':
      return { type: 'conversation.priority_changed', from: p.from as never, to: p.to as never };
    case 'conversation.status_changed':
      return { type: 'conversation.status_changed', from: p.from as never, to: p.to as never, reason: str(p.reason) ?? 'manual' };
    case 'conversation.snoozed':
      return { type: 'conversation.snoozed', until: str(p.until) };
    case 'conversation.tags_changed':
      return { type: 'conversation.tags_changed', added: strings(p.added), removed: strings(p.removed) };
    case 'sla.breached':
      return {
        type: 'sla.breached',
        target: p.target as never,
        dueAt: str(p.dueAt) ?? '',
        policy: { id: str(p.policyId) ?? '', name: str(p.policyName) },
      };
    case 'routing.requested':
      return { type: 'routing.requested', team: ref(names.teams, p.teamId) };
    case 'routing.decision': {
      const { e, candidates } = explanationOf(row);
      const rule = obj(e.rule);
      const why = (str(e.why) ?? '').replace(UUID, (id) => names.users.get(id.toLowerCase()) ?? 'another agent');
      return {
        type: 'routing.decision',
        outcome: p.outcome === 'assigned' ? 'assigned' : 'queued',
        assignee: ref(names.users, p.winnerId),
        why,
        policy: str(e.policy),
        rule: str(rule.id) ? { id: str(rule.id)!, name: str(rule.name) } : null,
        relaxationLevel: typeof e.relaxationLevel === 'number' ? e.relaxationLevel : 0,
        candidates: candidates.map((c) => ({
          user: ref(names.users, c.userId) ?? { id: '', name: null },
          eligible: c.eligible === true,
          reasons: strings(c.reasons),
        })),
        cause: e.cause && typeof e.cause === 'object' ? (e.cause as Record<string, unknown>) : null,
      };
    }
    default:
      return null;
  }
}

const named = (r: ActivityRef | null, fallback: string) => (r ? (r.name ?? fallback) : null);

/** The English sentence of an entry (the web app renders its own from `data`, in the user's language). */
export function sentenceOf(actorName: string, d: ActivityData): string {
  switch (d.type) {
    case 'conversation.assigned': {
      const parts: string[] = [];
      const to = named(d.assignee, 'a former teammate');
      const from = named(d.previousAssignee, 'a former teammate');
      if (d.assignee?.id !== d.previousAssignee?.id)
        parts.push(to ? `assigned the conversation to ${to}` : `unassigned ${from ?? 'the conversation'}`);
      if (d.team?.id !== d.previousTeam?.id) {
        const team = named(d.team, 'a deleted team');
        parts.push(team ? `moved it to team ${team}` : `took it out of team ${named(d.previousTeam, 'a deleted team')}`);
      }
      return `${actorName} ${parts.join(' and ') || 'changed the assignment'}`;
    }
    case 'conversation.priority_changed':
      return `${actorName} changed the priority from ${d.from} to ${d.to}`;
    case 'conversation.status_changed':
      if (d.reason === 'snooze_expired') return 'The snooze ended: the conversation is open again';
      if (d.reason === 'customer_message') return `The customer's message ${d.to === 'open' ? 'reopened' : 'changed'} the conversation`;
      return `${actorName} ${STATUS_VERB[d.to] ?? `set the status to ${d.to}`}`;
    case 'conversation.snoozed':
      return d.until ? `${actorName} snoozed the conversation until ${d.until}` : `${actorName} snoozed the conversation`;
    case 'conversation.tags_changed': {
      const parts = [
        d.added.length ? `added ${d.added.map((t) => `“${t}”`).join(', ')}` : '',
        d.removed.length ? `removed ${d.removed.map((t) => `“${t}”`).join(', ')}` : '',
      ].filter(Boolean);
      return `${actorName} ${parts.join(' and ')}`;
    }
    case 'sla.breached':
      return `${TARGET_LABEL[d.target] ?? d.target} SLA breached (${d.policy.name ?? 'policy'}, due ${d.dueAt})`;
    case 'routing.requested':
      return `${actorName} sent the conversation to routing${d.team ? ` (team ${d.team.name ?? 'deleted'})` : ''}`;
    case 'routing.decision':
      return `Routing: ${d.why}`;
  }
}

function actorNameOf(row: ActivityRow, names: Names): string | null {
  if (!row.actorId) return null;
  if (row.actorKind === 'user') return names.users.get(row.actorId) ?? null;
  if (row.actorKind === 'api_key') return names.apiKeys.get(row.actorId) ?? null;
  if (row.actorKind === 'automation') return names.rules.get(row.actorId) ?? null;
  return null;
}

const ACTOR_FALLBACK: Record<string, string> = {
  user: 'A former teammate',
  api_key: 'An integration',
  automation: 'An automation rule',
  customer: 'The customer',
  system: 'The system',
};

export function presentActivity(row: ActivityRow, names: Names): ActivityItem | null {
  const data = dataOf(row, names);
  if (!data) return null;
  const name = actorNameOf(row, names);
  const label =
    row.actorKind === 'automation' && name
      ? `Rule “${name}”`
      : data.type === 'conversation.assigned' && data.routed && row.actorKind === 'system'
        ? 'Routing'
        : (name ?? ACTOR_FALLBACK[row.actorKind] ?? 'Someone');
  return {
    id: row.id,
    type: row.type as ActivityType,
    at: isoOfCursorText(row.at),
    actor: { kind: row.actorKind, id: row.actorId, name },
    text: sentenceOf(label, data),
    data,
  };
}
