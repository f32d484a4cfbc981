import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog, Toggle } from '../../components/form';
import { PlusIcon } from '../../components/icons';
import { useToast } from '../../components/toast';
import { EmptyState, Spinner } from '../../components/ui';
import { useAccountAbilities } from '../../hooks/useAbilities';
import { defineMessages } from '../../i18n';
import { keys, slaApi, type SlaPolicyView } from './api/ops';
import { kindLabel } from './channel-form';
import { ErrorBanner, formatDuration, MoveButtons, moved, nameOf, readableError, useTeams } from './ops-ui';
import { PolicyEditor } from './sla-editor';
import './sla-section.css';

const t = defineMessages('settings.sla', {
  title: 'SLA policies',
  intro: 'Response and resolution targets. The first active policy whose conditions match a conversation applies, from the top.',
  readOnly: 'Only admins change SLA policies.',
  add: 'Add policy',
  emptyTitle: 'No SLA policies yet',
  emptyText:
    'Add a policy with a first-response target, e.g. 1 hour for every conversation; agents then see the timer on each conversation.',
  active: 'Active',
  inactive: 'Inactive',
  activeLabel: 'Active: {name}',
  edit: 'Edit',
  delete: 'Delete',
  deleteTitle: 'Delete {name}?',
  deleteBody: 'Conversations it timed keep their current targets; new ones match the next policy.',
  deleteConfirm: 'Delete policy',
  deleted: 'Policy {name} deleted.',
  reorderFailed: 'The order was not saved: {error}',
  everyConversation: 'Every conversation',
  noTargets: 'No targets',
  firstShort: 'First response {d}',
  nextShort: 'Next response {d}',
  resolutionShort: 'Resolution {d}',
  condPriority: 'Priority {list}',
  condChannel: 'Channel {list}',
  condTeam: 'Team {list}',
  condSegment: 'Segment {list}',
  condVip: 'VIP',
  condNotVip: 'Not VIP',
  editNamed: 'Edit {name}',
  deleteNamed: 'Delete {name}',
});

function summary(p: SlaPolicyView, teams: { id: string; name: string }[] | undefined) {
  const targets = [
    p.firstResponseSeconds !== null ? t('firstShort', { d: formatDuration(p.firstResponseSeconds) }) : null,
    p.nextResponseSeconds !== null ? t('nextShort', { d: formatDuration(p.nextResponseSeconds) }) : null,
    p.resolutionSeconds !== null ? t('resolutionShort', { d: formatDuration(p.resolutionSeconds) }) : null,
  ].filter(Boolean);
  const c = p.conditions;
  const conds = [
    c.priorities?.length ? t('condPriority', { list: c.priorities.join(', ') }) : null,
    c.channelKinds?.length ? t('condChannel', { list: c.channelKinds.map(kindLabel).join(', ') }) : null,
    c.teamIds?.length ? t('condTeam', { list: c.teamIds.map((id) => nameOf(teams, id)).join(', ') }) : null,
    c.customerSegments?.length ? t('condSegment', { list: c.customerSegments.join(', ') }) : null,
    c.vip === true ? t('condVip') : c.vip === false ? t('condNotVip') : null,
  ].filter(Boolean);
  return { targets: targets.join(' · ') || t('noTargets'), conditions: conds.join(' · ') || t('everyConversation') };
}

export default function SlaSection() {
  const canManage = useAccountAbilities()('manage_sla');
  const qc = useQueryClient();
  const toast = useToast();
  const teams = useTeams();
  const [editing, setEditing] = useState<SlaPolicyView | 'new' | null>(null);
  const [deleting, setDeleting] = useState<SlaPolicyView | null>(null);
  const list = useQuery({ queryKey: keys.slaPolicies, queryFn: slaApi.list });
  const policies = list.data?.data ?? [];

  const reorder = useMutation({
    mutationFn: (ids: string[]) => slaApi.order(ids),
    onMutate: async (ids) => {
      await qc.cancelQueries({ queryKey: keys.slaPolicies });
      const before = qc.getQueryData<{ data: SlaPolicyView[] }>(keys.slaPolicies);
      if (before) qc.setQueryData(keys.slaPolicies, { ...before, data: ids.map((id) => before.data.find((p) => p.id === id)!) });
      return { before };
    },
    onError: (err, _ids, ctx) => {
      if (ctx?.before) qc.setQueryData(keys.slaPolicies, ctx.before);
      toast(t('reorderFailed', { error: readableError(err) }));
    },
    onSuccess: (res) => qc.setQueryData(keys.slaPolicies, res),
  });
  const toggle = useMutation({
    mutationFn: ({ id, active }: { id: string; active: boolean }) => slaApi.update(id, { active }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.slaPolicies }),
    onError: (err) => toast(readableError(err)),
  });

  if (editing) return <PolicyEditor policy={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />;

  return (
    <div className="sla-section">
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
      ) : policies.length === 0 ? (
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
        <ol className="ops-list sla-list" aria-label={t('title')}>
          {policies.map((p, i) => {
            const s = summary(p, teams.data);
            const ids = policies.map((x) => x.id);
            return (
              <li key={p.id} className="ops-item" data-policy-id={p.id}>
                {canManage && (
                  <MoveButtons
                    name={p.name}
                    disabled={reorder.isPending}
                    onUp={i > 0 ? () => reorder.mutate(moved(ids, i, -1)) : undefined}
                    onDown={i < policies.length - 1 ? () => reorder.mutate(moved(ids, i, 1)) : undefined}
                  />
                )}
                <div className="ops-item-main">
                  <div className="ops-item-title">
                    <span className="sla-position" aria-hidden="true">
                      {i + 1}
                    </span>
                    <span>{p.name}</span>
                    <span className={p.active ? 'ops-pill on' : 'ops-pill off'}>{p.active ? t('active') : t('inactive')}</span>
                  </div>
                  <div className="ops-item-sub">{s.targets}</div>
                  <div className="ops-item-sub">{s.conditions}</div>
                </div>
                {canManage && (
                  <div className="ops-item-actions">
                    <Toggle
                      checked={p.active}
                      onChange={(active) => toggle.mutate({ id: p.id, active })}
                      label={<span className="ops-sr-only">{t('activeLabel', { name: p.name })}</span>}
                    />
                    <button
                      type="button"
                      className="button small"
                      onClick={() => setEditing(p)}
                      aria-label={t('editNamed', { name: p.name })}
                    >
                      {t('edit')}
                    </button>
                    <button
                      type="button"
                      className="button small ghost ops-danger-text"
                      onClick={() => setDeleting(p)}
                      aria-label={t('deleteNamed', { name: p.name })}
                    >
                      {t('delete')}
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {deleting && (
        <ConfirmDialog
          title={t('deleteTitle', { name: deleting.name })}
          body={<p>{t('deleteBody')}</p>}
          confirmLabel={t('deleteConfirm')}
          tone="danger"
          onConfirm={async () => {
            await slaApi.remove(deleting.id);
            toast(t('deleted', { name: deleting.name }), 'info');
            await qc.invalidateQueries({ queryKey: keys.slaPolicies });
          }}
          onClose={() => setDeleting(null)}
        />
      )}
    </div>
  );
}
