import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import type { RealtimeEvent } from '../../../api/types';
import { useRealtime } from '../../../hooks/useRealtime';
import { defineMessages } from '../../../i18n';
import { fullTime } from '../../../lib/format';
import { shortDuration, useNow } from '../sla-badge';
import { pane, paneKeys, type ConversationSlaView } from './api';
import './sla.css';

const t = defineMessages('conversation.sla', {
  sla: 'SLA',
  policy: 'Policy {name}',
  firstResponse: 'First response',
  nextResponse: 'Next response',
  resolution: 'Resolution',
  dueIn: 'due in {time}',
  overdue: 'overdue {time}',
  breached: 'breached',
  met: 'met',
  paused: 'paused',
  pausedLeft: 'paused · {time} left',
  noDueTime: 'no due time',
  headerDue: '{target} due in {time}',
  headerOverdue: '{target} overdue {time}',
  headerBreachedTarget: '{target} breached',
  headerPaused: 'SLA paused',
  headerPausedTarget: '{target} paused',
  none: 'No SLA policy applies to this conversation.',
  dueAt: 'Due {time}',
});

type Target = 'firstResponse' | 'nextResponse' | 'resolution';
const TARGETS: Target[] = ['firstResponse', 'nextResponse', 'resolution'];
const HOUR = 60 * 60_000;

/** What moves the SLA clock: its own events at once, the conversation's changes once the clock's listener ran. */
const CLOCK_EVENTS = new Set(['message.created', 'conversation.status_changed', 'conversation.priority_changed', 'conversation.assigned']);

/** GET /conversations/:id/sla, refreshed by realtime (sla.* events, and the changes the clock reacts to). */
export function useConversationSla(conversationId: string) {
  const qc = useQueryClient();
  const query = useQuery({ queryKey: paneKeys.sla(conversationId), queryFn: () => pane.sla(conversationId) });
  const timers = useRef<ReturnType<typeof setTimeout>[]>([]);
  const refetch = useCallback(
    (...delaysMs: number[]) => {
      for (const x of timers.current) clearTimeout(x);
      timers.current = delaysMs.map((ms) => setTimeout(() => void qc.invalidateQueries({ queryKey: paneKeys.sla(conversationId) }), ms));
    },
    [qc, conversationId],
  );
  useEffect(() => () => timers.current.forEach(clearTimeout), []);
  const onEvent = useCallback(
    (e: RealtimeEvent) => {
      if (e.conversationId !== conversationId || e.id === null) return;
      if (e.type.startsWith('sla.')) refetch(0);
      // The clock is moved by a listener job after the change committed: ask a moment later, and once more.
      else if (CLOCK_EVENTS.has(e.type)) refetch(1_500, 6_000);
    },
    [conversationId, refetch],
  );
  useRealtime([`conversation:${conversationId}`], onEvent, () => refetch(0));
  return query.data?.data ?? null;
}

type TargetState = ConversationSlaView['firstResponse'];
type Tone = 'breached' | 'soon' | 'running' | 'paused' | 'met';

function view(s: TargetState, paused: boolean, now: number): { tone: Tone; label: string; ms: number } | null {
  if (s.status === 'none') return null;
  if (s.status === 'met') return { tone: 'met', label: t('met'), ms: Infinity };
  const due = s.dueAt ? Date.parse(s.dueAt) : NaN;
  if (s.status === 'breached')
    return {
      tone: 'breached',
      label: Number.isFinite(due) ? t('overdue', { time: shortDuration(now - due) }) : t('breached'),
      ms: -Infinity,
    };
  if (paused) {
    const left = s.remainingBusinessSeconds;
    return {
      tone: 'paused',
      label: left != null && left > 0 ? t('pausedLeft', { time: shortDuration(left * 1000) }) : t('paused'),
      ms: Infinity - 1,
    };
  }
  if (!Number.isFinite(due)) return { tone: 'running', label: t('noDueTime'), ms: Infinity };
  const ms = due - now;
  if (ms <= 0) return { tone: 'breached', label: t('overdue', { time: shortDuration(-ms) }), ms };
  return { tone: ms < HOUR ? 'soon' : 'running', label: t('dueIn', { time: shortDuration(ms) }), ms };
}

/**
 * The running targets as countdowns under the header, most urgent first: red when breached or overdue, amber within
 * the hour, "paused" while the conversation is pending or snoozed. Nothing once resolved or without a policy.
 */
export function SlaTimers({ sla, resolved }: { sla: ConversationSlaView | null; resolved: boolean }) {
  const now = useNow();
  if (!sla || resolved) return null;
  const live = TARGETS.filter((x) => sla[x].status === 'pending' || sla[x].status === 'breached');
  if (live.length === 0) return null;
  if (sla.paused && live.every((x) => sla[x].status === 'pending')) {
    return (
      <span className="sla-timers" data-testid="sla-header" role="group" aria-label={t('sla')}>
        <span className="badge sla-timer sla-paused">{t('headerPaused')}</span>
      </span>
    );
  }
  const timers = live.map((target) => ({ target, v: view(sla[target], sla.paused, now)! })).sort((a, b) => a.v.ms - b.v.ms);
  return (
    <span className="sla-timers" data-testid="sla-header" role="group" aria-label={t('sla')}>
      {timers.map(({ target, v }) => {
        const due = sla[target].dueAt;
        const ms = due ? Date.parse(due) - now : NaN;
        const label =
          v.tone === 'paused'
            ? t('headerPausedTarget', { target: t(target) })
            : v.tone === 'breached'
              ? Number.isFinite(ms)
                ? t('headerOverdue', { target: t(target), time: shortDuration(-ms) })
                : t('headerBreachedTarget', { target: t(target) })
              : t('headerDue', { target: t(target), time: shortDuration(v.ms) });
        return (
          <span key={target} className={`badge sla-timer sla-${v.tone}`} title={due ? t('dueAt', { time: fullTime(due) }) : undefined}>
            {label}
          </span>
        );
      })}
    </span>
  );
}

/** Every target of the conversation's SLA with its countdown, for the details panel. */
export function SlaSection({ sla }: { sla: ConversationSlaView | null }) {
  const now = useNow();
  if (!sla) return null;
  const rows = TARGETS.map((target) => ({ target, v: view(sla[target], sla.paused, now), dueAt: sla[target].dueAt })).filter((r) => r.v);
  return (
    <section className="details-section" aria-label={t('sla')} data-testid="sla-section">
      <h3 className="details-heading">
        {t('sla')} <span className="sla-policy">{t('policy', { name: sla.policyName })}</span>
      </h3>
      <dl className="facts sla-facts">
        {rows.map(({ target, v, dueAt }) => (
          <div key={target} className="sla-row">
            <dt>{t(target)}</dt>
            <dd>
              <span className={`badge sla-timer sla-${v!.tone}`} title={dueAt ? t('dueAt', { time: fullTime(dueAt) }) : undefined}>
                {v!.label}
              </span>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
