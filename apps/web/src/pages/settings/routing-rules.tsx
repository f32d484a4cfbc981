import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog, Toggle } from '../../components/form';
import { PlusIcon } from '../../components/icons';
import { useToast } from '../../components/toast';
import { EmptyState, Spinner } from '../../components/ui';
import { defineMessages } from '../../i18n';
import { keys, routingApi, type RoutingRule, type Team } from './api/ops';
import { kindLabel } from './channel-form';
import { ErrorBanner, formatDuration, joinList, MoveButtons, moved, nameOf, readableError, useTeams } from './ops-ui';

/** The routing rules in evaluation order: summaries, reorder, pause, edit and delete. */
const t = defineMessages('settings.routing.rules', {
  rules: 'Routing rules',
  rulesHint: 'Checked from the top; the first active rule whose conditions match decides the requirements.',
  addRule: 'Add rule',
  rulesEmptyTitle: 'No routing rules',
  rulesEmptyText:
    'Without rules every conversation goes to the least busy online agent. Add a rule to send, say, billing questions to agents with the Billing skill.',
  active: 'Active',
  inactive: 'Paused',
  activeLabel: 'Active: {name}',
  edit: 'Edit',
  delete: 'Delete',
  deleteTitle: 'Delete {name}?',
  deleteBody: 'Conversations it would have matched are routed by the next rule, or to any available agent.',
  deleteConfirm: 'Delete rule',
  deleted: 'Rule {name} deleted.',
  reorderFailed: 'The order was not saved: {error}',
  every: 'every conversation',
  whenList: 'When {list}',
  condChannels: 'channel is {v}',
  condTags: 'tagged {v}',
  condLanguages: 'language is {v}',
  condVip: 'customer is VIP',
  condNotVip: 'customer is not VIP',
  condSegments: 'segment is {v}',
  condIntents: 'intent is {v}',
  needs: 'needs {list}',
  needsNothing: 'no special requirements',
  needSkill: '{skill} ≥ {level}',
  needLanguage: 'speaks {v}',
  needTeam: 'in {v}',
  needBoost: 'priority {v}',
  relaxAfter: 'after {d} drops {what}',
  editNamed: 'Edit {name}',
  deleteNamed: 'Delete {name}',
});

function ruleSummary(r: RoutingRule, teams: Team[] | undefined, skills: { id: string; name: string }[] | undefined): string[] {
  const c = r.conditions;
  const conds = [
    c.channelKinds?.length ? t('condChannels', { v: c.channelKinds.map(kindLabel).join(', ') }) : '',
    c.tags?.length ? t('condTags', { v: c.tags.join(', ') }) : '',
    c.languages?.length ? t('condLanguages', { v: c.languages.join(', ') }) : '',
    c.vip === true ? t('condVip') : c.vip === false ? t('condNotVip') : '',
    c.segments?.length ? t('condSegments', { v: c.segments.join(', ') }) : '',
    c.intents?.length ? t('condIntents', { v: c.intents.join(', ') }) : '',
  ].filter(Boolean);
  const a = r.actions;
  const needs = [
    ...a.requiredSkills.map((s) => t('needSkill', { skill: nameOf(skills, s.skillId), level: s.minProficiency })),
    a.language ? t('needLanguage', { v: a.language }) : '',
    a.teamId ? t('needTeam', { v: nameOf(teams, a.teamId) }) : '',
    a.priorityBoost ? t('needBoost', { v: a.priorityBoost > 0 ? `+${a.priorityBoost}` : a.priorityBoost }) : '',
  ].filter(Boolean);
  const dropWord = { proficiency: 'minimum levels', language: 'language', skills: 'skills' };
  return [
    `${t('whenList', { list: conds.length ? joinList(conds) : t('every') })}: ${needs.length ? t('needs', { list: joinList(needs) }) : t('needsNothing')}`,
    r.relaxation.map((s) => t('relaxAfter', { d: formatDuration(s.afterSeconds), what: dropWord[s.drop] })).join('; '),
  ].filter(Boolean);
}

export function RulesCard({ canManage, onEdit }: { canManage: boolean; onEdit: (r: RoutingRule | 'new') => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const teams = useTeams();
  const skills = useQuery({ queryKey: keys.skills, queryFn: () => routingApi.skills().then((r) => r.data) });
  const rules = useQuery({ queryKey: keys.routingRules, queryFn: routingApi.rules });
  const [deleting, setDeleting] = useState<RoutingRule | null>(null);
  const list = rules.data?.data ?? [];
  const reorder = useMutation({
    mutationFn: (ids: string[]) => routingApi.order(ids),
    onMutate: async (ids) => {
      await qc.cancelQueries({ queryKey: keys.routingRules });
      const before = qc.getQueryData<{ data: RoutingRule[] }>(keys.routingRules);
      if (before) qc.setQueryData(keys.routingRules, { data: ids.map((id) => before.data.find((r) => r.id === id)!) });
      return { before };
    },
    onError: (err, _ids, ctx) => {
      if (ctx?.before) qc.setQueryData(keys.routingRules, ctx.before);
      toast(t('reorderFailed', { error: readableError(err) }));
    },
    onSuccess: (res) => qc.setQueryData(keys.routingRules, res),
  });
  // Rules are replaced whole (PUT), so a toggle sends the rule back with `active` flipped.
  const toggle = useMutation({
    mutationFn: (r: RoutingRule) =>
      routingApi.replaceRule(r.id, {
        name: r.name,
        active: !r.active,
        conditions: r.conditions,
        actions: r.actions,
        relaxation: r.relaxation,
        position: r.position,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.routingRules }),
    onError: (err) => toast(readableError(err)),
  });
  const ids = list.map((r) => r.id);
  return (
    <section className="settings-card" aria-labelledby="routing-rules">
      <div className="routing-card-head">
        <div>
          <h3 id="routing-rules">{t('rules')}</h3>
          <p className="form-hint routing-hint">{t('rulesHint')}</p>
        </div>
        {canManage && list.length > 0 && (
          <button type="button" className="button" onClick={() => onEdit('new')}>
            <PlusIcon /> {t('addRule')}
          </button>
        )}
      </div>
      {rules.isPending ? (
        <Spinner />
      ) : rules.isError ? (
        <ErrorBanner error={rules.error} />
      ) : list.length === 0 ? (
        <EmptyState
          title={t('rulesEmptyTitle')}
          action={
            canManage ? (
              <button type="button" className="button primary" onClick={() => onEdit('new')}>
                <PlusIcon /> {t('addRule')}
              </button>
            ) : undefined
          }
        >
          {t('rulesEmptyText')}
        </EmptyState>
      ) : (
        <ol className="ops-list" aria-label={t('rules')}>
          {list.map((r, i) => (
            <li key={r.id} className="ops-item">
              {canManage && (
                <MoveButtons
                  name={r.name}
                  disabled={reorder.isPending}
                  onUp={i > 0 ? () => reorder.mutate(moved(ids, i, -1)) : undefined}
                  onDown={i < list.length - 1 ? () => reorder.mutate(moved(ids, i, 1)) : undefined}
                />
              )}
              <div className="ops-item-main">
                <div className="ops-item-title">
                  <span>{r.name}</span>
                  <span className={r.active ? 'ops-pill on' : 'ops-pill off'}>{r.active ? t('active') : t('inactive')}</span>
                </div>
                {ruleSummary(r, teams.data, skills.data).map((line) => (
                  <div key={line} className="ops-item-sub">
                    {line}
                  </div>
                ))}
              </div>
              {canManage && (
                <div className="ops-item-actions">
                  <Toggle
                    checked={r.active}
                    onChange={() => toggle.mutate(r)}
                    label={<span className="ops-sr-only">{t('activeLabel', { name: r.name })}</span>}
                  />
                  <button type="button" className="button small" onClick={() => onEdit(r)} aria-label={t('editNamed', { name: r.name })}>
                    {t('edit')}
                  </button>
                  <button
                    type="button"
                    className="button small ghost ops-danger-text"
                    onClick={() => setDeleting(r)}
                    aria-label={t('deleteNamed', { name: r.name })}
                  >
                    {t('delete')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
      {deleting && (
        <ConfirmDialog
          title={t('deleteTitle', { name: deleting.name })}
          body={<p>{t('deleteBody')}</p>}
          confirmLabel={t('deleteConfirm')}
          tone="danger"
          onConfirm={async () => {
            await routingApi.deleteRule(deleting.id);
            toast(t('deleted', { name: deleting.name }), 'info');
            await qc.invalidateQueries({ queryKey: keys.routingRules });
          }}
          onClose={() => setDeleting(null)}
        />
      )}
    </section>
  );
}
