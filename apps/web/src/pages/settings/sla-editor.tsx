import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Field, Toggle, useAutoFocus } from '../../components/form';
import { useToast } from '../../components/toast';
import { defineMessages } from '../../i18n';
import { capitalize } from '../../lib/format';
import {
  calendarsApi,
  CHANNEL_KIND_LIST,
  keys,
  PRIORITY_LIST,
  slaApi,
  type PriorityValue,
  type SlaPolicyBody,
  type SlaPolicyView,
} from './api/ops';
import { kindLabel } from './channel-form';
import { CheckboxGroup, DurationInput, ErrorBanner, fieldError, joinList, ListInput, listHint, useTeams, useFocusError } from './ops-ui';

/** The editor of an SLA policy: targets, the conversations it applies to, and what happens on breach. */
const t = defineMessages('settings.sla.editor', {
  saved: 'Policy {name} saved.',
  newTitle: 'New SLA policy',
  editTitle: 'Edit {name}',
  name: 'Name',
  namePlaceholder: 'Standard',
  activeToggle: 'Active (used to time new conversations)',
  targets: 'Targets',
  targetsHint: 'Counted in business hours. Leave a target empty to not track it; a policy needs at least one.',
  firstResponse: 'First response',
  firstResponseHint: 'From the customer’s first message to the first agent reply.',
  nextResponse: 'Next response',
  nextResponseHint: 'From each later customer message to the next agent reply.',
  resolution: 'Resolution',
  resolutionHint: 'From the start of the conversation to resolving it.',
  warning: 'Warn before breach',
  warningHint: 'Empty: 20% of each target before it is due.',
  conditions: 'Applies to',
  conditionsHint: 'No conditions: every conversation (a catch-all; put it last).',
  priorities: 'Priorities',
  channelKinds: 'Channels',
  teams: 'Teams',
  segments: 'Customer segments',
  vip: 'VIP customers',
  vipAny: 'VIP or not',
  vipOnly: 'VIP only',
  vipNot: 'Non-VIP only',
  escalation: 'On breach',
  raisePriority: 'Raise priority to',
  reassignTeam: 'Move to team',
  addTag: 'Add tag',
  noChange: 'No change',
  hours: 'Measured in the business hours of the conversation’s team or channel (else around the clock).',
  manageHours: 'Business hours',
  calendarsCount: 'Calendars: {list}.',
  noCalendars: 'No business hours yet: targets run around the clock.',
  cancel: 'Cancel',
  save: 'Save policy',
  saving: 'Saving…',
  targetRequired: 'Set at least one target.',
  tooShort: 'Targets are at least 1 minute.',
});

type Form = SlaPolicyBody;

function toForm(p: SlaPolicyView | null): Form {
  return p
    ? {
        name: p.name,
        active: p.active,
        conditions: p.conditions,
        firstResponseSeconds: p.firstResponseSeconds,
        nextResponseSeconds: p.nextResponseSeconds,
        resolutionSeconds: p.resolutionSeconds,
        warningLeadSeconds: p.warningLeadSeconds,
        escalation: p.escalation,
      }
    : {
        name: '',
        active: true,
        conditions: {},
        firstResponseSeconds: 3600,
        nextResponseSeconds: null,
        resolutionSeconds: null,
        warningLeadSeconds: null,
        escalation: {},
      };
}

/** Only the conditions that say something (an empty list would match nothing). */
function cleanConditions(c: Form['conditions']): Form['conditions'] {
  const out: Form['conditions'] = {};
  if (c.priorities?.length) out.priorities = c.priorities;
  if (c.channelKinds?.length) out.channelKinds = c.channelKinds;
  if (c.teamIds?.length) out.teamIds = c.teamIds;
  if (c.customerSegments?.length) out.customerSegments = c.customerSegments;
  if (c.vip !== undefined) out.vip = c.vip;
  return out;
}

export function PolicyEditor({ policy, onDone }: { policy: SlaPolicyView | null; onDone: () => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const teams = useTeams();
  const calendars = useQuery({ queryKey: keys.calendars, queryFn: calendarsApi.list });
  const first = useAutoFocus<HTMLInputElement>();
  const [form, setForm] = useState<Form>(() => toForm(policy));
  const [local, setLocal] = useState<string | null>(null);
  const cond = form.conditions;
  const setCond = (patch: Partial<Form['conditions']>) => setForm((f) => ({ ...f, conditions: { ...f.conditions, ...patch } }));
  const setEsc = (patch: Partial<Form['escalation']>) => {
    setForm((f) => {
      const e = { ...f.escalation, ...patch };
      for (const k of Object.keys(e) as (keyof typeof e)[]) if (!e[k]) delete e[k];
      return { ...f, escalation: e };
    });
  };

  const save = useMutation({
    mutationFn: () => {
      const body: Form = { ...form, name: form.name.trim(), conditions: cleanConditions(form.conditions) };
      return policy ? slaApi.update(policy.id, body) : slaApi.create(body);
    },
    onSuccess: async (res) => {
      toast(t('saved', { name: res.data.name }), 'info');
      await qc.invalidateQueries({ queryKey: keys.slaPolicies });
      onDone();
    },
  });
  const err = save.error;
  const formRef = useFocusError(err || local);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const targets = [form.firstResponseSeconds, form.nextResponseSeconds, form.resolutionSeconds];
    if (targets.every((x) => x === null)) return setLocal(t('targetRequired'));
    if (targets.some((x) => x !== null && x < 60)) return setLocal(t('tooShort'));
    setLocal(null);
    save.mutate();
  };
  const cals = calendars.data?.data ?? [];

  return (
    <form
      ref={formRef}
      className="settings-card ops-editor"
      onSubmit={submit}
      noValidate
      aria-label={policy ? t('editTitle', { name: policy.name }) : t('newTitle')}
    >
      <h3>{policy ? t('editTitle', { name: policy.name }) : t('newTitle')}</h3>
      <Field label={t('name')} error={fieldError(err, 'name')}>
        <input
          ref={first}
          type="text"
          value={form.name}
          placeholder={t('namePlaceholder')}
          maxLength={120}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
      </Field>
      <Toggle checked={form.active} onChange={(active) => setForm({ ...form, active })} label={t('activeToggle')} />

      <fieldset className="sla-group">
        <legend className="tp-field-label">{t('targets')}</legend>
        <p className="form-hint">{t('targetsHint')}</p>
        <div className="ops-two">
          <Field label={t('firstResponse')} hint={t('firstResponseHint')} error={fieldError(err, 'firstResponseSeconds')}>
            <DurationInput
              name={t('firstResponse')}
              value={form.firstResponseSeconds}
              onChange={(v) => setForm({ ...form, firstResponseSeconds: v })}
            />
          </Field>
          <Field label={t('nextResponse')} hint={t('nextResponseHint')} error={fieldError(err, 'nextResponseSeconds')}>
            <DurationInput
              name={t('nextResponse')}
              value={form.nextResponseSeconds}
              onChange={(v) => setForm({ ...form, nextResponseSeconds: v })}
            />
          </Field>
          <Field label={t('resolution')} hint={t('resolutionHint')} error={fieldError(err, 'resolutionSeconds')}>
            <DurationInput
              name={t('resolution')}
              value={form.resolutionSeconds}
              onChange={(v) => setForm({ ...form, resolutionSeconds: v })}
            />
          </Field>
          <Field label={t('warning')} hint={t('warningHint')} error={fieldError(err, 'warningLeadSeconds')}>
            <DurationInput
              name={t('warning')}
              value={form.warningLeadSeconds}
              onChange={(v) => setForm({ ...form, warningLeadSeconds: v })}
            />
          </Field>
        </div>
        <p className="form-hint sla-hours">
          {t('hours')} {cals.length > 0 ? t('calendarsCount', { list: joinList(cals.map((c) => c.name)) }) : t('noCalendars')}{' '}
          <Link to="/settings/$section" params={{ section: 'business-hours' }}>
            {t('manageHours')}
          </Link>
        </p>
      </fieldset>

      <fieldset className="sla-group">
        <legend className="tp-field-label">{t('conditions')}</legend>
        <p className="form-hint">{t('conditionsHint')}</p>
        <CheckboxGroup<PriorityValue>
          legend={t('priorities')}
          options={PRIORITY_LIST.map((p) => ({ value: p, label: capitalize(p) }))}
          value={cond.priorities ?? []}
          onChange={(priorities) => setCond({ priorities })}
        />
        <CheckboxGroup
          legend={t('channelKinds')}
          options={CHANNEL_KIND_LIST.map((k) => ({ value: k, label: kindLabel(k) }))}
          value={cond.channelKinds ?? []}
          onChange={(channelKinds) => setCond({ channelKinds })}
        />
        {teams.data && teams.data.length > 0 && (
          <CheckboxGroup
            legend={t('teams')}
            options={teams.data.map((x) => ({ value: x.id, label: x.name }))}
            value={cond.teamIds ?? []}
            onChange={(teamIds) => setCond({ teamIds })}
          />
        )}
        <div className="ops-two">
          <Field label={t('segments')} hint={listHint()} error={fieldError(err, 'conditions.customerSegments')}>
            <ListInput
              value={cond.customerSegments ?? []}
              onChange={(customerSegments) => setCond({ customerSegments })}
              placeholder="enterprise, gold"
            />
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

      <fieldset className="sla-group">
        <legend className="tp-field-label">{t('escalation')}</legend>
        <div className="ops-two">
          <Field label={t('raisePriority')}>
            <select
              className="select"
              value={form.escalation.raisePriorityTo ?? ''}
              onChange={(e) => setEsc({ raisePriorityTo: (e.target.value || undefined) as PriorityValue | undefined })}
            >
              <option value="">{t('noChange')}</option>
              {PRIORITY_LIST.map((p) => (
                <option key={p} value={p}>
                  {capitalize(p)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('reassignTeam')} error={fieldError(err, 'escalation.reassignTeamId')}>
            <select
              className="select"
              value={form.escalation.reassignTeamId ?? ''}
              onChange={(e) => setEsc({ reassignTeamId: e.target.value || undefined })}
            >
              <option value="">{t('noChange')}</option>
              {teams.data?.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('addTag')} error={fieldError(err, 'escalation.addTag')}>
            <input
              type="text"
              value={form.escalation.addTag ?? ''}
              maxLength={50}
              placeholder="sla-breached"
              onChange={(e) => setEsc({ addTag: e.target.value || undefined })}
            />
          </Field>
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
          'firstResponseSeconds',
          'nextResponseSeconds',
          'resolutionSeconds',
          'warningLeadSeconds',
          'conditions.customerSegments',
          'escalation.reassignTeamId',
          'escalation.addTag',
        ]}
        labels={{ conditions: t('conditions'), escalation: t('escalation') }}
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
