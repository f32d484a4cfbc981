import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Field, Toggle, useAutoFocus } from '../../components/form';
import { PlusIcon, XIcon } from '../../components/icons';
import { useToast } from '../../components/toast';
import { defineMessages } from '../../i18n';
import {
  CHANNEL_KIND_LIST,
  keys,
  RELAXATION_DROP_LIST,
  routingApi,
  type RelaxationDrop,
  type RoutingRule,
  type RoutingRuleBody,
} from './api/ops';
import { kindLabel } from './channel-form';
import { CheckboxGroup, ErrorBanner, errorsUnder, fieldError, ListInput, listHint, useTeams, useFocusError } from './ops-ui';

/** The editor of a routing rule: conditions on the conversation, requirements on the agent, relaxation steps. */
export const routingRuleText = defineMessages('settings.routing.editor', {
  newTitle: 'New routing rule',
  editTitle: 'Edit {name}',
  name: 'Name',
  namePlaceholder: 'Billing questions',
  active: 'Active',
  conditions: 'When the conversation…',
  conditionsHint: 'All filled-in conditions must hold; within a list any value matches. None: every conversation.',
  channelKinds: 'Came on',
  tags: 'Has any of the tags',
  languages: 'Is in one of the languages',
  languagesPlaceholder: 'en, de, pt-br',
  segments: 'Customer is in a segment',
  intents: 'Assistant detected an intent',
  vip: 'Customer is VIP',
  vipAny: 'VIP or not',
  vipOnly: 'VIP only',
  vipNot: 'Non-VIP only',
  actions: 'Route it to an agent who…',
  skills: 'Has the skills',
  noSkills: 'No skills yet: add them under Skills first.',
  skill: 'Skill',
  level: 'Minimum level',
  addSkill: 'Add skill',
  removeSkill: 'Remove skill {n}',
  language: 'Speaks the language',
  languageHint: 'A language code such as en or pt-br; empty: any.',
  team: 'Within the team',
  anyTeam: 'The conversation’s team, or everyone',
  boost: 'Priority boost',
  boostHint: 'Added to the queue rank (low 0, normal 10, high 20, urgent 30).',
  relaxation: 'If nobody fits, relax after waiting',
  relaxationHint: 'Steps apply in order, each after a longer wait.',
  noRelaxation: 'No relaxation: the conversation waits for a matching agent.',
  after: 'After (minutes)',
  drop: 'Drop',
  drop_proficiency: 'the minimum levels',
  drop_language: 'the language',
  drop_skills: 'the skills',
  addStep: 'Add step',
  removeStep: 'Remove step {n}',
  cancel: 'Cancel',
  save: 'Save rule',
  saving: 'Saving…',
  saved: 'Routing rule {name} saved.',
  skillNamed: 'Skill {name}',
  levelNamed: 'Minimum level: {name}',
  levelOf: 'Minimum level of skill {n}',
});
const t = routingRuleText;

function toForm(r: RoutingRule | null): RoutingRuleBody {
  return r
    ? { name: r.name, active: r.active, conditions: r.conditions, actions: r.actions, relaxation: r.relaxation }
    : { name: '', active: true, conditions: {}, actions: { requiredSkills: [], priorityBoost: 0 }, relaxation: [] };
}

/** Drops empty lists and unset values: the API treats an empty list as "matches nothing". */
function clean(b: RoutingRuleBody): RoutingRuleBody {
  const c = Object.fromEntries(
    Object.entries(b.conditions).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
  ) as RoutingRuleBody['conditions'];
  const a = { ...b.actions };
  if (!a.language) delete a.language;
  if (!a.teamId) delete a.teamId;
  return { ...b, name: b.name.trim(), conditions: c, actions: a };
}

export function RoutingRuleEditor({ rule, onDone }: { rule: RoutingRule | null; onDone: () => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const teams = useTeams();
  const skills = useQuery({ queryKey: keys.skills, queryFn: () => routingApi.skills().then((r) => r.data) });
  const first = useAutoFocus<HTMLInputElement>();
  const [form, setForm] = useState<RoutingRuleBody>(() => toForm(rule));
  const cond = form.conditions;
  const act = form.actions;
  const setCond = (patch: Partial<RoutingRuleBody['conditions']>) => setForm((f) => ({ ...f, conditions: { ...f.conditions, ...patch } }));
  const setAct = (patch: Partial<RoutingRuleBody['actions']>) => setForm((f) => ({ ...f, actions: { ...f.actions, ...patch } }));

  const save = useMutation({
    mutationFn: () => (rule ? routingApi.replaceRule(rule.id, clean(form)) : routingApi.createRule(clean(form))),
    onSuccess: async (res) => {
      toast(t('saved', { name: res.data.name }), 'info');
      await qc.invalidateQueries({ queryKey: keys.routingRules });
      onDone();
    },
  });
  const err = save.error;
  const formRef = useFocusError(err);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  return (
    <form
      ref={formRef}
      className="settings-card ops-editor"
      onSubmit={submit}
      noValidate
      aria-label={rule ? t('editTitle', { name: rule.name }) : t('newTitle')}
    >
      <h3>{rule ? t('editTitle', { name: rule.name }) : t('newTitle')}</h3>
      <Field label={t('name')} error={fieldError(err, 'name')}>
        <input
          ref={first}
          type="text"
          value={form.name}
          maxLength={100}
          placeholder={t('namePlaceholder')}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
      </Field>
      <Toggle checked={form.active} onChange={(active) => setForm({ ...form, active })} label={t('active')} />

      <fieldset className="routing-group">
        <legend>{t('conditions')}</legend>
        <p className="form-hint">{t('conditionsHint')}</p>
        <CheckboxGroup
          legend={t('channelKinds')}
          options={CHANNEL_KIND_LIST.map((k) => ({ value: k, label: kindLabel(k) }))}
          value={cond.channelKinds ?? []}
          onChange={(channelKinds) => setCond({ channelKinds })}
        />
        <div className="ops-two">
          <Field label={t('tags')} hint={listHint()} error={fieldError(err, 'conditions.tags')}>
            <ListInput value={cond.tags ?? []} onChange={(tags) => setCond({ tags })} placeholder="billing, refund" />
          </Field>
          <Field label={t('languages')} hint={listHint()} error={errorsUnder(err, 'conditions.languages')[0]}>
            <ListInput
              value={cond.languages ?? []}
              onChange={(languages) => setCond({ languages })}
              placeholder={t('languagesPlaceholder')}
            />
          </Field>
          <Field label={t('segments')} hint={listHint()} error={fieldError(err, 'conditions.segments')}>
            <ListInput value={cond.segments ?? []} onChange={(segments) => setCond({ segments })} />
          </Field>
          <Field label={t('intents')} hint={listHint()} error={fieldError(err, 'conditions.intents')}>
            <ListInput value={cond.intents ?? []} onChange={(intents) => setCond({ intents })} />
          </Field>
          <Field label={t('vip')}>
            <select
              className="select"
              value={cond.vip === undefined ? '' : String(cond.vip)}
              onChange={(e) => setCond({ vip: e.target.value === '' ? undefined : e.target.value === 'true' })}
            >
              <option value="">{t('vipAny')}</option>
              <option value="true">{t('vipOnly')}</option>
              <option value="false">{t('vipNot')}</option>
            </select>
          </Field>
        </div>
      </fieldset>

      <fieldset className="routing-group">
        <legend>{t('actions')}</legend>
        <div className="tp-field-label">{t('skills')}</div>
        {skills.data && skills.data.length === 0 ? (
          <p className="ops-subtle">{t('noSkills')}</p>
        ) : (
          <div className="ops-rows">
            {act.requiredSkills.map((s, i) => (
              <div key={i} className="ops-row">
                <select
                  className="select ops-grow"
                  aria-label={t('skillNamed', { name: i + 1 })}
                  value={s.skillId}
                  onChange={(e) =>
                    setAct({ requiredSkills: act.requiredSkills.map((x, j) => (j === i ? { ...x, skillId: e.target.value } : x)) })
                  }
                >
                  {skills.data?.map((k) => (
                    <option key={k.id} value={k.id}>
                      {k.name}
                    </option>
                  ))}
                </select>
                <select
                  className="select"
                  aria-label={t('levelOf', { n: i + 1 })}
                  value={s.minProficiency}
                  onChange={(e) =>
                    setAct({
                      requiredSkills: act.requiredSkills.map((x, j) => (j === i ? { ...x, minProficiency: Number(e.target.value) } : x)),
                    })
                  }
                >
                  {[1, 2, 3, 4, 5].map((n) => (
                    <option key={n} value={n}>
                      {t('levelNamed', { name: n })}
                    </option>
                  ))}
                </select>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={t('removeSkill', { n: i + 1 })}
                  onClick={() => setAct({ requiredSkills: act.requiredSkills.filter((_, j) => j !== i) })}
                >
                  <XIcon />
                </button>
                {errorsUnder(err, `actions.requiredSkills.${i}`).map((m) => (
                  <span key={m} className="form-error routing-row-error">
                    {m}
                  </span>
                ))}
              </div>
            ))}
            {skills.data && skills.data.length > 0 && (
              <div>
                <button
                  type="button"
                  className="button small"
                  onClick={() => setAct({ requiredSkills: [...act.requiredSkills, { skillId: skills.data[0]!.id, minProficiency: 1 }] })}
                >
                  <PlusIcon /> {t('addSkill')}
                </button>
              </div>
            )}
          </div>
        )}
        <div className="ops-two">
          <Field label={t('language')} hint={t('languageHint')} error={fieldError(err, 'actions.language')}>
            <input type="text" value={act.language ?? ''} maxLength={12} onChange={(e) => setAct({ language: e.target.value || null })} />
          </Field>
          <Field label={t('team')} error={fieldError(err, 'actions.teamId')}>
            <select className="select" value={act.teamId ?? ''} onChange={(e) => setAct({ teamId: e.target.value || null })}>
              <option value="">{t('anyTeam')}</option>
              {teams.data?.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('boost')} hint={t('boostHint')} error={fieldError(err, 'actions.priorityBoost')}>
            <input
              type="number"
              min={-100}
              max={100}
              step={1}
              value={act.priorityBoost}
              onChange={(e) => setAct({ priorityBoost: Math.round(Number(e.target.value) || 0) })}
            />
          </Field>
        </div>
      </fieldset>

      <fieldset className="routing-group">
        <legend>{t('relaxation')}</legend>
        <p className="form-hint">{t('relaxationHint')}</p>
        {form.relaxation.length === 0 && <p className="ops-subtle">{t('noRelaxation')}</p>}
        <div className="ops-rows">
          {form.relaxation.map((step, i) => (
            <div key={i} className="ops-row">
              <label className="routing-inline">
                <span className="ops-subtle">{t('after')}</span>
                <input
                  type="number"
                  min={1}
                  max={1440}
                  value={Math.round(step.afterSeconds / 60)}
                  onChange={(e) =>
                    setForm((f) => ({
                      ...f,
                      relaxation: f.relaxation.map((x, j) =>
                        j === i ? { ...x, afterSeconds: Math.max(1, Number(e.target.value) || 1) * 60 } : x,
                      ),
                    }))
                  }
                />
              </label>
              <label className="routing-inline ops-grow">
                <span className="ops-subtle">{t('drop')}</span>
                <select
                  className="select"
                  value={step.drop}
                  onChange={(e) =>
                    setForm((f) => ({
                      ...f,
                      relaxation: f.relaxation.map((x, j) => (j === i ? { ...x, drop: e.target.value as RelaxationDrop } : x)),
                    }))
                  }
                >
                  {RELAXATION_DROP_LIST.map((d) => (
                    <option key={d} value={d}>
                      {t(`drop_${d}`)}
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                className="icon-button"
                aria-label={t('removeStep', { n: i + 1 })}
                onClick={() => setForm((f) => ({ ...f, relaxation: f.relaxation.filter((_, j) => j !== i) }))}
              >
                <XIcon />
              </button>
              {errorsUnder(err, `relaxation.${i}`).map((m) => (
                <span key={m} className="form-error routing-row-error">
                  {m}
                </span>
              ))}
            </div>
          ))}
        </div>
        <div>
          <button
            type="button"
            className="button small"
            onClick={() => {
              const last = form.relaxation.at(-1)?.afterSeconds ?? 0;
              setForm((f) => ({ ...f, relaxation: [...f.relaxation, { afterSeconds: last + 120, drop: 'proficiency' }] }));
            }}
          >
            <PlusIcon /> {t('addStep')}
          </button>
        </div>
      </fieldset>

      <ErrorBanner
        error={err}
        inline={[
          'name',
          'conditions.tags',
          'conditions.languages',
          'conditions.segments',
          'conditions.intents',
          'actions.language',
          'actions.teamId',
          'actions.priorityBoost',
          ...act.requiredSkills.map((_, i) => `actions.requiredSkills.${i}`),
          ...form.relaxation.map((_, i) => `relaxation.${i}`),
        ]}
        labels={{ conditions: t('conditions'), actions: t('actions'), relaxation: t('relaxation') }}
      />
      <div className="form-actions">
        <button type="button" className="button" onClick={onDone}>
          {t('cancel')}
        </button>
        <button type="submit" className="button primary" disabled={save.isPending}>
          {save.isPending ? t('saving') : t('save')}
        </button>
      </div>
    </form>
  );
}
