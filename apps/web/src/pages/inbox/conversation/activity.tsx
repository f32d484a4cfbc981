import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { RealtimeEvent } from '../../../api/types';
import { useRealtime } from '../../../hooks/useRealtime';
import { defineMessages } from '../../../i18n';
import { capitalize, clockTime, fullTime } from '../../../lib/format';
import { pane, paneKeys, type ActivityItem } from './api';
import './activity.css';

const t = defineMessages('conversation.activity', {
  you: 'You',
  someone: 'Someone',
  formerTeammate: 'a former teammate',
  deletedTeam: 'a deleted team',
  integration: 'An integration',
  rule: 'Rule “{name}”',
  automation: 'An automation rule',
  customer: 'The customer',
  system: 'The system',
  routing: 'Routing',
  assigned: '{actor} assigned this to {assignee}',
  tookIt: '{actor} took this conversation',
  unassigned: '{actor} unassigned {previous}',
  unassignedNobody: '{actor} unassigned this conversation',
  teamSet: '{actor} moved this to team {team}',
  teamRemoved: '{actor} took this out of team {team}',
  priority: '{actor} changed the priority from {from} to {to}',
  open: '{actor} reopened this conversation',
  pending: '{actor} marked this conversation pending',
  resolved: '{actor} resolved this conversation',
  statusOther: '{actor} set the status to {to}',
  customerReopened: 'The customer wrote again: open',
  snoozeEnded: 'The snooze ended: open again',
  snoozed: '{actor} snoozed this until {until}',
  snoozedNoTime: '{actor} snoozed this conversation',
  tagsAdded: '{actor} added {tags}',
  tagsRemoved: '{actor} removed {tags}',
  firstResponse: 'First response',
  nextResponse: 'Next response',
  resolution: 'Resolution',
  slaBreached: '{target} SLA breached',
  slaBreachedPolicy: '{target} SLA breached ({policy}, was due {due})',
  routingRequested: '{actor} sent this to routing',
  routingRequestedTeam: '{actor} sent this to routing in team {team}',
  routedTo: 'Routed to {assignee}',
  queued: 'Queued: nobody could take it yet',
  why: 'Why?',
  eligible: 'eligible',
  notEligible: 'not eligible',
  rule2: 'Rule: {name}',
  activity: 'Activity',
});

/** Event types that become entries (mirrors ACTIVITY_TYPES of packages/shared, kept local: no zod in the bundle). */
const ACTIVITY_EVENTS = new Set([
  'conversation.assigned',
  'conversation.priority_changed',
  'conversation.status_changed',
  'conversation.snoozed',
  'conversation.tags_changed',
  'sla.breached',
  'routing.requested',
]);

/**
 * The conversation's activity entries, newest page first, kept live: an event of a shown type on
 * `conversation:<id>` refetches them (one request per burst; the server presents them, names included).
 */
export function useActivity(conversationId: string) {
  const qc = useQueryClient();
  const query = useInfiniteQuery({
    queryKey: paneKeys.activity(conversationId),
    queryFn: ({ pageParam }) => pane.activity(conversationId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.page.nextCursor ?? undefined,
  });
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const refresh = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void qc.invalidateQueries({ queryKey: paneKeys.activity(conversationId) }), 400);
  }, [qc, conversationId]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const onEvent = useCallback(
    (e: RealtimeEvent) => {
      if (e.conversationId === conversationId && e.id !== null && ACTIVITY_EVENTS.has(e.type)) refresh();
    },
    [conversationId, refresh],
  );
  useRealtime([`conversation:${conversationId}`], onEvent, refresh);
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.data) ?? [], [query.data]);
  return { items, hasOlder: query.hasNextPage, loadOlder: () => query.fetchNextPage() };
}

function actorLabel(item: ActivityItem, meId: string): string {
  const a = item.actor;
  if (a.kind === 'user') return a.id === meId ? t('you') : (a.name ?? t('formerTeammate'));
  if (a.kind === 'api_key') return a.name ?? t('integration');
  if (a.kind === 'automation') return a.name ? t('rule', { name: a.name }) : t('automation');
  if (a.kind === 'customer') return t('customer');
  if (item.data.type === 'conversation.assigned' && item.data.routed) return t('routing');
  return t('system');
}

const who = (r: { id: string; name: string | null } | null, meId: string) =>
  r ? (r.id === meId ? t('you') : (r.name ?? t('formerTeammate'))) : null;
const quoted = (tags: string[]) => tags.map((x) => `“${x}”`).join(', ');

/** The sentence of an entry in the reader's language (the server's `text` is the English fallback). */
export function activitySentence(item: ActivityItem, meId: string): string {
  const actor = actorLabel(item, meId);
  const d = item.data;
  switch (d.type) {
    case 'conversation.assigned': {
      const parts: string[] = [];
      if (d.assignee?.id !== d.previousAssignee?.id) {
        if (d.assignee && d.assignee.id === item.actor.id) parts.push(t('tookIt', { actor }));
        else if (d.assignee) parts.push(t('assigned', { actor, assignee: who(d.assignee, meId)! }));
        else
          parts.push(
            d.previousAssignee ? t('unassigned', { actor, previous: who(d.previousAssignee, meId)! }) : t('unassignedNobody', { actor }),
          );
      }
      if (d.team?.id !== d.previousTeam?.id) {
        const line = d.team
          ? t('teamSet', { actor, team: d.team.name ?? t('deletedTeam') })
          : t('teamRemoved', { actor, team: d.previousTeam?.name ?? t('deletedTeam') });
        parts.push(parts.length ? line.replace(actor, '').trim() : line);
      }
      return parts.join(' · ') || item.text;
    }
    case 'conversation.priority_changed':
      return t('priority', { actor, from: capitalize(d.from), to: capitalize(d.to) });
    case 'conversation.status_changed':
      if (d.reason === 'snooze_expired') return t('snoozeEnded');
      if (d.reason === 'customer_message') return t('customerReopened');
      if (d.to === 'open' || d.to === 'pending' || d.to === 'resolved') return t(d.to, { actor });
      return t('statusOther', { actor, to: d.to });
    case 'conversation.snoozed':
      return d.until ? t('snoozed', { actor, until: fullTime(d.until) }) : t('snoozedNoTime', { actor });
    case 'conversation.tags_changed':
      return [
        d.added.length ? t('tagsAdded', { actor, tags: quoted(d.added) }) : '',
        d.removed.length ? t('tagsRemoved', { actor, tags: quoted(d.removed) }) : '',
      ]
        .filter(Boolean)
        .join(' · ');
    case 'sla.breached': {
      const target = t(d.target);
      return d.policy.name && d.dueAt
        ? t('slaBreachedPolicy', { target, policy: d.policy.name, due: fullTime(d.dueAt) })
        : t('slaBreached', { target });
    }
    case 'routing.requested':
      return d.team ? t('routingRequestedTeam', { actor, team: d.team.name ?? t('deletedTeam') }) : t('routingRequested', { actor });
    case 'routing.decision':
      return d.outcome === 'assigned' ? t('routedTo', { assignee: who(d.assignee, meId) ?? t('someone') }) : t('queued');
  }
}

function tone(item: ActivityItem): string {
  if (item.type === 'sla.breached') return 'danger';
  if (item.type === 'routing.decision' || item.type === 'routing.requested') return 'routing';
  return 'plain';
}

/** One small centered system line in the thread; a routing decision can unfold its explanation. */
export function ActivityLine({ item, meId }: { item: ActivityItem; meId: string }) {
  const text = activitySentence(item, meId);
  const d = item.data;
  return (
    <div className={`activity-line activity-${tone(item)}`} data-testid="activity" data-type={item.type}>
      <div className="activity-text">
        <span>{text}</span>
        <time dateTime={item.at} title={fullTime(item.at)}>
          {clockTime(item.at)}
        </time>
      </div>
      {d.type === 'routing.decision' && (
        <details className="activity-why">
          <summary>{t('why')}</summary>
          <p>{d.why}</p>
          {d.rule && <p className="muted">{t('rule2', { name: d.rule.name ?? d.rule.id })}</p>}
          {d.candidates.length > 0 && (
            <ul>
              {d.candidates.map((c, i) => (
                <li key={`${c.user.id}-${i}`}>
                  <strong>{c.user.name ?? t('formerTeammate')}</strong> · {c.eligible ? t('eligible') : t('notEligible')}
                  {c.reasons.length > 0 && <span className="muted"> — {c.reasons.join(', ')}</span>}
                </li>
              ))}
            </ul>
          )}
        </details>
      )}
    </div>
  );
}
