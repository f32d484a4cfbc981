import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog, Toggle } from '../../components/form';
import { PlusIcon } from '../../components/icons';
import { useToast } from '../../components/toast';
import { EmptyState, Spinner } from '../../components/ui';
import { useAbilities, useAccountAbilities } from '../../hooks/useAbilities';
import { defineMessages } from '../../i18n';
import { keys, rulesApi, type Rule } from './api/ops';
import { eventLabel, fieldLabel, opLabel } from './automation-fields';
import { RuleEditor } from './automation-editor';
import { ErrorBanner, joinList, nameOf, readableError, useTeams, useUsers } from './ops-ui';
import { describeAction, describeValue, RunsPanel, DryRunDialog } from './automation-runs';
import './automation-section.css';

const t = defineMessages('settings.automation', {
  title: 'Automation rules',
  intro:
    'When something happens to a conversation, check conditions and act: tag, prioritise, assign, reply, call a webhook. Every run is recorded.',
  readOnly: 'Supervisors and admins change rules; you can read them and their history.',
  add: 'New rule',
  emptyTitle: 'No automation rules yet',
  emptyText: 'Start with one: when a message contains "refund", add the tag "refund" and set the priority to high.',
  active: 'Active',
  inactive: 'Paused',
  activeLabel: 'Active: {name}',
  edit: 'Edit',
  delete: 'Delete',
  dryRun: 'Dry run',
  history: 'History',
  hideHistory: 'Hide history',
  historyNamed: 'History: {name}',
  hideHistoryNamed: 'Hide history: {name}',
  deleteTitle: 'Delete {name}?',
  deleteBody: 'The rule stops acting and its run history is deleted. What it already did stays.',
  deleteConfirm: 'Delete rule',
  deleted: 'Rule {name} deleted.',
  nowActive: '{name} is active.',
  nowPaused: '{name} is paused.',
  whenLine: 'When {trigger}',
  scheduleLine: 'When a conversation has been {status} for {hours} h',
  ifAll: 'if {list}',
  ifAny: 'if any of: {list}',
  always: 'always',
  thenLine: 'then {list}',
  loadMore: 'Show more',
  dryRunNamed: 'Dry run: {name}',
  editNamed: 'Edit {name}',
  deleteNamed: 'Delete {name}',
});

function ruleSummary(r: Rule, teams: { id: string; name: string }[] | undefined, users: { id: string; name: string }[] | undefined) {
  const when =
    'event' in r.trigger
      ? t('whenLine', { trigger: eventLabel(r.trigger.event).replace(/^A /, 'a ').replace(/^The /, 'the ') })
      : t('scheduleLine', { status: r.trigger.schedule.replace('_for', ''), hours: r.trigger.hours });
  const conds = r.conditions.map((c) => {
    const value =
      c.field === 'conversation.teamId'
        ? nameOf(teams, c.value as string)
        : c.field === 'conversation.assigneeId'
          ? nameOf(users, c.value as string)
          : describeValue(c.value);
    return `${fieldLabel(c.field).toLowerCase()} ${opLabel(c.field, c.op)}${value ? ` "${value}"` : ''}`;
  });
  const ifPart =
    conds.length === 0 ? t('always') : r.match === 'all' ? t('ifAll', { list: joinList(conds) }) : t('ifAny', { list: conds.join('; ') });
  const thenPart = t('thenLine', { list: joinList(r.actions.map((a) => describeAction(a, teams, users))) });
  return `${when}, ${ifPart}, ${thenPart}.`;
}

function RuleRow({
  rule,
  policies,
  canManage,
  onEdit,
  onDelete,
  onDryRun,
}: {
  rule: Rule;
  policies: { id: string; abilities: Record<string, boolean> }[] | undefined;
  canManage: boolean;
  onEdit: () => void;
  onDelete: () => void;
  onDryRun: () => void;
}) {
  const can = useAbilities(policies, rule.id);
  const manage = canManage && can('manage');
  const qc = useQueryClient();
  const toast = useToast();
  const teams = useTeams();
  const users = useUsers();
  const [open, setOpen] = useState(false);
  const toggle = useMutation({
    mutationFn: (active: boolean) => rulesApi.update(rule.id, { active }),
    onSuccess: async (res) => {
      toast(res.data.active ? t('nowActive', { name: rule.name }) : t('nowPaused', { name: rule.name }), 'info');
      await qc.invalidateQueries({ queryKey: keys.rules });
    },
    onError: (err) => toast(readableError(err)),
  });
  return (
    <li className="rule-item" data-rule-id={rule.id}>
      <div className="ops-item">
        <div className="ops-item-main">
          <div className="ops-item-title">
            <span>{rule.name}</span>
            <span className={rule.active ? 'ops-pill on' : 'ops-pill off'}>{rule.active ? t('active') : t('inactive')}</span>
          </div>
          <div className="ops-item-sub">{ruleSummary(rule, teams.data, users.data)}</div>
          {rule.description && <div className="ops-item-sub">{rule.description}</div>}
        </div>
        <div className="ops-item-actions">
          {manage && (
            <Toggle
              checked={rule.active}
              disabled={toggle.isPending}
              onChange={(active) => toggle.mutate(active)}
              label={<span className="ops-sr-only">{t('activeLabel', { name: rule.name })}</span>}
            />
          )}
          <button type="button" className="button small" onClick={onDryRun} aria-label={t('dryRunNamed', { name: rule.name })}>
            {t('dryRun')}
          </button>
          <button
            type="button"
            className="button small"
            aria-expanded={open}
            aria-controls={`runs-${rule.id}`}
            onClick={() => setOpen((o) => !o)}
            aria-label={t(open ? 'hideHistoryNamed' : 'historyNamed', { name: rule.name })}
          >
            {open ? t('hideHistory') : t('history')}
          </button>
          {manage && (
            <>
              <button type="button" className="button small" onClick={onEdit} aria-label={t('editNamed', { name: rule.name })}>
                {t('edit')}
              </button>
              <button
                type="button"
                className="button small ghost ops-danger-text"
                onClick={onDelete}
                aria-label={t('deleteNamed', { name: rule.name })}
              >
                {t('delete')}
              </button>
            </>
          )}
        </div>
      </div>
      {open && (
        <div id={`runs-${rule.id}`} className="rule-panel-wrap">
          <RunsPanel rule={rule} />
        </div>
      )}
    </li>
  );
}

export default function AutomationSection() {
  const canManage = useAccountAbilities()('manage_automation');
  const qc = useQueryClient();
  const toast = useToast();
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Rule | null>(null);
  const [dry, setDry] = useState<Rule | null>(null);
  const list = useInfiniteQuery({
    queryKey: keys.rules,
    queryFn: ({ pageParam }) => rulesApi.list(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.page.nextCursor ?? undefined,
  });
  const rules = list.data?.pages.flatMap((p) => p.data) ?? [];
  const policies = list.data?.pages.flatMap((p) => p.policies ?? []);

  if (editing) return <RuleEditor rule={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />;

  return (
    <div className="automation-section">
      <header className="section-header">
        <div>
          <h2>{t('title')}</h2>
          <p>{canManage ? t('intro') : `${t('intro')} ${t('readOnly')}`}</p>
        </div>
        {canManage && (
          <button type="button" className="button primary" onClick={() => setEditing('new')}>
            <PlusIcon /> {t('add')}
          </button>
        )}
      </header>
      {list.isPending ? (
        <Spinner />
      ) : list.isError ? (
        <ErrorBanner error={list.error} />
      ) : rules.length === 0 ? (
        <EmptyState
          title={t('emptyTitle')}
          action={
            canManage ? (
              <button type="button" className="button primary" onClick={() => setEditing('new')}>
                <PlusIcon /> {t('add')}
              </button>
            ) : undefined
          }
        >
          {t('emptyText')}
        </EmptyState>
      ) : (
        <ul className="ops-list" aria-label={t('title')}>
          {rules.map((r) => (
            <RuleRow
              key={r.id}
              rule={r}
              policies={policies}
              canManage={canManage}
              onEdit={() => setEditing(r)}
              onDelete={() => setDeleting(r)}
              onDryRun={() => setDry(r)}
            />
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <button type="button" className="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {t('loadMore')}
        </button>
      )}
      {dry && <DryRunDialog rule={dry} onClose={() => setDry(null)} />}
      {deleting && (
        <ConfirmDialog
          title={t('deleteTitle', { name: deleting.name })}
          body={<p>{t('deleteBody')}</p>}
          confirmLabel={t('deleteConfirm')}
          tone="danger"
          onConfirm={async () => {
            await rulesApi.remove(deleting.id);
            toast(t('deleted', { name: deleting.name }), 'info');
            await qc.invalidateQueries({ queryKey: keys.rules });
          }}
          onClose={() => setDeleting(null)}
        />
      )}
    </div>
  );
}
