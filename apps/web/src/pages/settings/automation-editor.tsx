import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Field, Toggle, useAutoFocus } from '../../components/form';
import { PlusIcon } from '../../components/icons';
import { useToast } from '../../components/toast';
import {
  CONDITION_FIELD_LIST,
  keys,
  RULE_ACTION_TYPES,
  RULE_EVENT_LIST,
  rulesApi,
  TIME_SCHEDULE_LIST,
  type Condition,
  type ConditionField,
  type ConditionOp,
  type Rule,
  type RuleAction,
  type RuleActionType,
  type RuleBody,
  type RuleEvent,
  type TimeSchedule,
} from './api/ops';
import { ErrorBanner, errorsUnder, fieldError, useFocusError } from './ops-ui';

import {
  ActionFields,
  ConditionValue,
  FIELD_KIND,
  newAction,
  newCondition,
  OPS,
  Row,
  ruleText,
  withOp,
  actionLabel,
  eventLabel,
  fieldLabel,
  opLabel,
} from './automation-fields';

/** The structured editor of an automation rule: when (event or time), if (condition rows), then (action rows). */
const t = ruleText;

type Form = RuleBody;

function toForm(rule: Rule | null): Form {
  if (!rule)
    return {
      name: '',
      description: null,
      active: true,
      trigger: { event: 'message.created' },
      match: 'all',
      conditions: [newCondition('message.body')],
      actions: [newAction('add_tags')],
    };
  return {
    name: rule.name,
    description: rule.description,
    active: rule.active,
    trigger: 'event' in rule.trigger ? { event: rule.trigger.event } : { schedule: rule.trigger.schedule, hours: rule.trigger.hours },
    match: rule.match,
    conditions: rule.conditions,
    actions: rule.actions,
  };
}

export function RuleEditor({ rule, onDone }: { rule: Rule | null; onDone: (saved: Rule | null) => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const first = useAutoFocus<HTMLInputElement>();
  const [form, setForm] = useState<Form>(() => toForm(rule));
  const [local, setLocal] = useState<string | null>(null);
  // Rows get stable keys so typing in one row never remounts another.
  const [condKeys, setCondKeys] = useState(() => form.conditions.map((_, i) => i));
  const [actKeys, setActKeys] = useState(() => form.actions.map((_, i) => i));
  const [nextKey, setNextKey] = useState(100);
  const triggerValue = 'event' in form.trigger ? `event:${form.trigger.event}` : `schedule:${form.trigger.schedule}`;

  const setCondition = (i: number, c: Condition) => setForm((f) => ({ ...f, conditions: f.conditions.map((x, j) => (j === i ? c : x)) }));
  const setAction = (i: number, a: RuleAction) => setForm((f) => ({ ...f, actions: f.actions.map((x, j) => (j === i ? a : x)) }));

  const save = useMutation({
    mutationFn: () => {
      const body: Form = { ...form, name: form.name.trim(), description: form.description?.trim() || null };
      return rule ? rulesApi.update(rule.id, body) : rulesApi.create(body);
    },
    onSuccess: async (res) => {
      toast(t('saved', { name: res.data.name }), 'info');
      await qc.invalidateQueries({ queryKey: keys.rules });
      onDone(res.data);
    },
  });
  const err = save.error;
  const formRef = useFocusError(err || local);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (form.actions.length === 0) return setLocal(t('needsAction'));
    setLocal(null);
    save.mutate();
  };

  return (
    <form
      ref={formRef}
      className="settings-card ops-editor rule-editor"
      onSubmit={submit}
      noValidate
      aria-label={rule ? t('editTitle', { name: rule.name }) : t('newTitle')}
    >
      <h3>{rule ? t('editTitle', { name: rule.name }) : t('newTitle')}</h3>
      <div className="ops-two">
        <Field label={t('name')} error={fieldError(err, 'name')}>
          <input
            ref={first}
            type="text"
            value={form.name}
            maxLength={200}
            placeholder={t('namePlaceholder')}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
        </Field>
        <Field label={t('description')} hint={t('descriptionHint')} error={fieldError(err, 'description')}>
          <input
            type="text"
            value={form.description ?? ''}
            maxLength={2000}
            onChange={(e) => setForm({ ...form, description: e.target.value })}
          />
        </Field>
      </div>
      <Toggle checked={form.active} onChange={(active) => setForm({ ...form, active })} label={t('active')} />

      <fieldset className="rule-group">
        <legend>{t('when')}</legend>
        <div className="ops-two">
          <Field label={t('trigger')} error={errorsUnder(err, 'trigger').join(' ') || undefined}>
            <select
              className="select"
              value={triggerValue}
              onChange={(e) => {
                const [kind, name] = e.target.value.split(':') as ['event' | 'schedule', string];
                setForm({
                  ...form,
                  trigger:
                    kind === 'event'
                      ? { event: name as RuleEvent }
                      : { schedule: name as TimeSchedule, hours: 'hours' in form.trigger ? form.trigger.hours : 24 },
                });
              }}
            >
              {RULE_EVENT_LIST.map((e) => (
                <option key={e} value={`event:${e}`}>
                  {eventLabel(e)}
                </option>
              ))}
              {TIME_SCHEDULE_LIST.map((s) => (
                <option key={s} value={`schedule:${s}`}>
                  {t(`schedule.${s}`)}
                </option>
              ))}
            </select>
          </Field>
          {'schedule' in form.trigger && (
            <Field label={t('hours')} hint={t('hoursHint')}>
              <input
                type="number"
                min={1}
                max={8760}
                value={form.trigger.hours}
                onChange={(e) =>
                  setForm({
                    ...form,
                    trigger: { ...(form.trigger as { schedule: TimeSchedule; hours: number }), hours: Number(e.target.value) },
                  })
                }
              />
            </Field>
          )}
        </div>
      </fieldset>

      <fieldset className="rule-group">
        <legend>{t('if')}</legend>
        <Field label={t('match')}>
          <select className="select" value={form.match} onChange={(e) => setForm({ ...form, match: e.target.value as 'all' | 'any' })}>
            <option value="all">{t('matchAll')}</option>
            <option value="any">{t('matchAny')}</option>
          </select>
        </Field>
        {form.conditions.length === 0 && <p className="ops-subtle">{t('noConditions')}</p>}
        <div className="ops-rows">
          {form.conditions.map((c, i) => (
            <Row
              key={condKeys[i]}
              removeLabel={t('removeCondition', { n: i + 1 })}
              error={errorsUnder(err, `conditions.${i}`)}
              onRemove={() => {
                setForm((f) => ({ ...f, conditions: f.conditions.filter((_, j) => j !== i) }));
                setCondKeys((k) => k.filter((_, j) => j !== i));
              }}
            >
              <select
                className="select"
                aria-label={t('fieldNamed', { name: i + 1 })}
                value={c.field}
                onChange={(e) => setCondition(i, newCondition(e.target.value as ConditionField))}
              >
                {CONDITION_FIELD_LIST.map((f) => (
                  <option key={f} value={f}>
                    {fieldLabel(f)}
                  </option>
                ))}
              </select>
              <select
                className="select"
                aria-label={t('opNamed', { name: i + 1 })}
                value={c.op}
                onChange={(e) => setCondition(i, withOp(c, e.target.value as ConditionOp))}
              >
                {OPS[FIELD_KIND[c.field]].map((op) => (
                  <option key={op} value={op}>
                    {opLabel(c.field, op)}
                  </option>
                ))}
              </select>
              <ConditionValue key={`${c.field}:${c.op}`} c={c} n={i + 1} onChange={(next) => setCondition(i, next)} />
            </Row>
          ))}
        </div>
        <div>
          <button
            type="button"
            className="button small"
            onClick={() => {
              setForm((f) => ({ ...f, conditions: [...f.conditions, newCondition('message.body')] }));
              setCondKeys((k) => [...k, nextKey]);
              setNextKey((n) => n + 1);
            }}
          >
            <PlusIcon /> {t('addCondition')}
          </button>
        </div>
      </fieldset>

      <fieldset className="rule-group">
        <legend>{t('then')}</legend>
        <div className="ops-rows">
          {form.actions.map((a, i) => (
            <Row
              key={actKeys[i]}
              removeLabel={t('removeAction', { n: i + 1 })}
              error={errorsUnder(err, `actions.${i}`)}
              onRemove={() => {
                setForm((f) => ({ ...f, actions: f.actions.filter((_, j) => j !== i) }));
                setActKeys((k) => k.filter((_, j) => j !== i));
              }}
            >
              <select
                className="select"
                aria-label={t('actionTypeNamed', { name: i + 1 })}
                value={a.type}
                onChange={(e) => setAction(i, newAction(e.target.value as RuleActionType))}
              >
                {RULE_ACTION_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {actionLabel(type)}
                  </option>
                ))}
              </select>
              <ActionFields key={a.type} a={a} n={i + 1} onChange={(next) => setAction(i, next)} />
            </Row>
          ))}
        </div>
        <div>
          <button
            type="button"
            className="button small"
            onClick={() => {
              setForm((f) => ({ ...f, actions: [...f.actions, newAction('add_tags')] }));
              setActKeys((k) => [...k, nextKey]);
              setNextKey((n) => n + 1);
            }}
          >
            <PlusIcon /> {t('addAction')}
          </button>
        </div>
      </fieldset>

      {local && (
        <div className="alert alert-error ops-banner" role="alert">
          {local}
        </div>
      )}
      <ErrorBanner
        error={err}
        inline={[
          'name',
          'description',
          'trigger',
          ...form.conditions.map((_, i) => `conditions.${i}`),
          ...form.actions.map((_, i) => `actions.${i}`),
        ]}
        labels={{ conditions: t('if'), actions: t('then') }}
      />
      <div className="form-actions">
        <button type="button" className="button" onClick={() => onDone(null)}>
          {t('cancel')}
        </button>
        <button type="submit" className="button primary" disabled={save.isPending}>
          {save.isPending ? t('saving') : t('save')}
        </button>
      </div>
    </form>
  );
}
