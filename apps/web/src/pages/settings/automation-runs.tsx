import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Dialog } from '../../components/dialog';
import { useAutoFocus } from '../../components/form';
import { Spinner } from '../../components/ui';
import { defineMessages } from '../../i18n';
import { customerName, fullTime, relativeTime } from '../../lib/format';
import { keys, lookupsApi, rulesApi, type DryRun, type Rule, type RuleAction, type RuleRun } from './api/ops';
import { actionLabel, fieldLabel, opLabel, ruleText } from './automation-fields';
import { ErrorBanner, joinList, nameOf, readableError, useTeams, useUsers } from './ops-ui';

/** What a rule did (its run history) and would do (a dry run over recent conversations). */
const t = defineMessages('settings.automation.runs', {
  loadMore: 'Show more',
  runsTitle: 'Recent runs of {name}',
  noRuns: 'No runs yet. The rule runs on the next matching event; a dry run shows what it would do now.',
  outcome_matched: 'Acted',
  outcome_not_matched: 'No match',
  outcome_skipped: 'Skipped',
  outcome_failed: 'Failed',
  openConversation: 'Open conversation',
  took: 'Did: {list}',
  nothing: 'Nothing to do.',
  reason: 'Reason: {reason}',
  error: 'Error: {error}',
  delivery: 'Webhook {url}: {status}',
  dryTitle: 'Dry run of {name}',
  dryIntro:
    'Checks the rule against the {count} most recently active conversations as they are now. Nothing changes and no run is recorded.',
  dryMessageNote: 'Conditions on the message (text, type, author) only match a real event, so a dry run treats them as not met.',
  dryNone: 'No conversations yet to test against.',
  dryWould: 'Would: {list}',
  dryWouldNot: 'Would not act',
  dryMatches: '{count} of {total} would match.',
  dryChecking: 'Checking…',
  dryDetails: 'Why',
  dryActual: 'actual: {value}',
  dryEmpty: 'empty',
  close: 'Close',
  noSubject: 'No subject',
});

/** "add tags refund, billing", "assign to Billing"… for summaries, dry runs and runs. */
export function describeAction(
  a: RuleAction,
  teams: { id: string; name: string }[] | undefined,
  users: { id: string; name: string }[] | undefined,
): string {
  const label = actionLabel(a.type).toLowerCase();
  switch (a.type) {
    case 'add_tags':
    case 'remove_tags':
      return `${label} ${a.tags.join(', ')}`;
    case 'set_priority':
      return `${label}: ${a.priority}`;
    case 'set_status':
      return `${label}: ${a.status}`;
    case 'assign_team':
      return `${label} ${nameOf(teams, a.teamId)}`;
    case 'assign_agent':
      return `${label} ${nameOf(users, a.userId)}`;
    case 'route':
      return a.teamId ? `${label} (${nameOf(teams, a.teamId)})` : label;
    case 'call_webhook':
      return `${label} ${a.url}`;
    default:
      return label;
  }
}

export function describeValue(v: unknown): string {
  if (Array.isArray(v)) return v.join(', ');
  if (v === true) return ruleText('yes');
  if (v === false) return ruleText('no');
  return v === undefined || v === null || v === '' ? '' : String(v);
}

function outcomeClass(o: RuleRun['outcome']) {
  return o === 'matched' ? 'ops-pill on' : o === 'failed' ? 'ops-pill bad' : o === 'skipped' ? 'ops-pill warn' : 'ops-pill off';
}

export function RunsPanel({ rule }: { rule: Rule }) {
  const teams = useTeams();
  const users = useUsers();
  const runs = useInfiniteQuery({
    queryKey: keys.runs(rule.id),
    queryFn: ({ pageParam }) => rulesApi.runs(rule.id, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.page.nextCursor ?? undefined,
    refetchInterval: 15_000,
  });
  const list = runs.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <div className="rule-panel" role="region" aria-label={t('runsTitle', { name: rule.name })}>
      {runs.isPending ? (
        <Spinner />
      ) : runs.isError ? (
        <ErrorBanner error={runs.error} />
      ) : list.length === 0 ? (
        <p className="ops-subtle">{t('noRuns')}</p>
      ) : (
        <ul className="rule-runs">
          {list.map((run) => {
            const taken = (run.actions as RuleAction[]).filter((a) => a && typeof a === 'object' && 'type' in a);
            return (
              <li key={run.id} className="rule-run" data-outcome={run.outcome}>
                <div className="rule-run-head">
                  <span className={outcomeClass(run.outcome)}>{t(`outcome_${run.outcome}`)}</span>
                  <time dateTime={run.createdAt} title={fullTime(run.createdAt)} className="ops-subtle">
                    {relativeTime(run.createdAt)}
                  </time>
                  {run.conversationId && (
                    <Link to="/inbox/$conversationId" params={{ conversationId: run.conversationId }} className="rule-run-link">
                      {t('openConversation')}
                    </Link>
                  )}
                </div>
                {run.outcome === 'matched' && (
                  <div className="ops-item-sub">
                    {taken.length
                      ? t('took', { list: joinList(taken.map((a) => describeAction(a, teams.data, users.data))) })
                      : t('nothing')}
                  </div>
                )}
                {run.reason && run.outcome !== 'matched' && (
                  <div className="ops-item-sub">{t('reason', { reason: run.reason.replace(/_/g, ' ') })}</div>
                )}
                {run.error && <div className="form-error">{t('error', { error: run.error })}</div>}
                {run.deliveries.map((d) => (
                  <div key={d.actionIndex} className="ops-item-sub">
                    {t('delivery', { url: d.url, status: `${d.status}${d.httpStatus ? ` (${d.httpStatus})` : ''}` })}
                  </div>
                ))}
              </li>
            );
          })}
        </ul>
      )}
      {runs.hasNextPage && (
        <button type="button" className="button small" onClick={() => void runs.fetchNextPage()} disabled={runs.isFetchingNextPage}>
          {t('loadMore')}
        </button>
      )}
    </div>
  );
}

/** The rule checked against each recent conversation (the API dry-runs one conversation per call). */
export function DryRunDialog({ rule, onClose }: { rule: Rule; onClose: () => void }) {
  const teams = useTeams();
  const users = useUsers();
  const result = useQuery({
    queryKey: ['settings', 'automation', 'dry-run', rule.id, rule.updatedAt],
    queryFn: async () => {
      const conversations = await lookupsApi.recentConversations();
      const runs = await Promise.all(
        conversations.map(async (c) => {
          try {
            return { c, r: (await rulesApi.dryRun(rule.id, c.id)).data as DryRun, error: null };
          } catch (error) {
            return { c, r: null, error };
          }
        }),
      );
      return runs;
    },
    staleTime: 0,
  });
  const rows = result.data ?? [];
  const matches = rows.filter((x) => x.r?.matched).length;
  const usesMessage = rule.conditions.some((c) => c.field.startsWith('message.'));
  const closeRef = useAutoFocus<HTMLButtonElement>();
  return (
    <Dialog
      title={t('dryTitle', { name: rule.name })}
      onClose={onClose}
      footer={
        <button ref={closeRef} type="button" className="button" onClick={onClose}>
          {t('close')}
        </button>
      }
    >
      <div className="ops-editor">
        <p className="ops-subtle">{t('dryIntro', { count: 10 })}</p>
        {usesMessage && <p className="alert alert-info">{t('dryMessageNote')}</p>}
        {result.isPending ? (
          <Spinner label={t('dryChecking')} />
        ) : result.isError ? (
          <ErrorBanner error={result.error} />
        ) : rows.length === 0 ? (
          <p className="ops-subtle">{t('dryNone')}</p>
        ) : (
          <>
            <p role="status">
              <strong>{t('dryMatches', { count: matches, total: rows.length })}</strong>
            </p>
            <ul className="rule-dry" data-testid="dry-run-results">
              {rows.map(({ c, r, error }) => (
                <li key={c.id} className="rule-dry-item">
                  <div className="rule-run-head">
                    <span className={r?.matched ? 'ops-pill on' : 'ops-pill off'}>
                      {r?.matched ? t('outcome_matched') : t('outcome_not_matched')}
                    </span>
                    <span className="rule-dry-conv">
                      #{c.number} · {customerName(c.customer ?? undefined)} · {c.subject || t('noSubject')}
                    </span>
                  </div>
                  {error ? (
                    <div className="form-error">{readableError(error)}</div>
                  ) : r ? (
                    <>
                      <div className="ops-item-sub">
                        {r.matched && r.actions.length
                          ? t('dryWould', { list: joinList(r.actions.map((a) => describeAction(a, teams.data, users.data))) })
                          : t('dryWouldNot')}
                      </div>
                      {r.conditions.length > 0 && (
                        <details className="rule-dry-why">
                          <summary>{t('dryDetails')}</summary>
                          <ul>
                            {r.conditions.map((x, i) => (
                              <li key={i} className={x.matched ? 'ok' : 'no'}>
                                {x.matched ? '✓' : '✗'} {fieldLabel(x.condition.field)} {opLabel(x.condition.field, x.condition.op)}{' '}
                                {describeValue(x.condition.value)}{' '}
                                <span className="ops-subtle">({t('dryActual', { value: describeValue(x.actual) || t('dryEmpty') })})</span>
                              </li>
                            ))}
                          </ul>
                        </details>
                      )}
                      {r.note && <div className="ops-item-sub">{r.note}</div>}
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </Dialog>
  );
}
