import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TemplateVariable } from '@touchpoint/shared';
import { useRef, useState, type FormEvent } from 'react';
import { Field, useAutoFocus } from '../../components/form';
import { useToast } from '../../components/toast';
import { useAccountAbilities } from '../../hooks/useAbilities';
import { defineMessages } from '../../i18n';
import { capitalize } from '../../lib/format';
import { useSession } from '../../session';
import { keys, macrosApi, PRIORITY_LIST, type Macro, type MacroActions, type MacroBody, type PriorityValue } from './api/ops';
import { ErrorBanner, fieldError, ListInput, listHint, nameOf, useTeams, useFocusError } from './ops-ui';

/** The editor of a macro: its reply with variables (and a preview on sample values), who may use it, and its actions. */
const t = defineMessages('settings.macros.editor', {
  saved: 'Macro {name} saved.',
  newTitle: 'New macro',
  editTitle: 'Edit {name}',
  name: 'Name',
  namePlaceholder: 'Refund confirmed',
  body: 'Reply',
  bodyHint: 'Variables are filled in for each conversation; a missing value becomes empty.',
  insert: 'Insert a variable',
  visibility: 'Who can use it',
  visPersonal: 'Only me',
  visShared: 'Everyone in the workspace',
  visSharedDisabled: 'Everyone in the workspace (supervisors and admins)',
  actions: 'Also, when applied',
  status: 'Set status',
  priority: 'Set priority',
  tags: 'Add tags',
  team: 'Assign to team',
  unchanged: 'Leave as is',
  samplePreview: 'Preview with sample values',
  unknownVars: 'Unknown variables: {list}. Use the buttons above; the macro cannot be saved with these.',
  cancel: 'Cancel',
  save: 'Save macro',
  saving: 'Saving…',
  doStatus: 'set status to {v}',
  doPriority: 'set priority to {v}',
  doTags: 'add tags {v}',
  doTeam: 'assign to {v}',
  statusOpen: 'open',
  statusPending: 'pending',
  statusResolved: 'resolved',
  sampleCustomer: 'Dana Fischer',
  sampleAgent: 'Alex Kim',
  sampleSubject: 'Where is my order?',
});

/** Mirrors TEMPLATE_VARIABLES of packages/shared (a value import would pull zod into the bundle); checked below. */
const VARIABLES = [
  'customer.first_name',
  'customer.name',
  'customer.email',
  'agent.first_name',
  'agent.name',
  'conversation.number',
  'conversation.subject',
  'account.name',
] as const satisfies readonly TemplateVariable[];
type Missing = Exclude<TemplateVariable, (typeof VARIABLES)[number]>;
const _allVariables: [Missing] extends [never] ? true : false = true;
void _allVariables;

/** The same substitution as the server's renderTemplate, over sample values (the real preview asks the server). */
function renderSample(body: string, values: Record<string, string>): string {
  return body.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (whole, name: string) => (name in values ? values[name]! : whole));
}

export function actionSummary(a: MacroActions, teams: { id: string; name: string }[] | undefined): string[] {
  const statusWord = { open: t('statusOpen'), pending: t('statusPending'), resolved: t('statusResolved') };
  return [
    a.status ? t('doStatus', { v: statusWord[a.status] }) : '',
    a.priority ? t('doPriority', { v: a.priority }) : '',
    a.addTags?.length ? t('doTags', { v: a.addTags.join(', ') }) : '',
    a.teamId ? t('doTeam', { v: nameOf(teams, a.teamId) }) : '',
  ].filter(Boolean);
}

export function MacroEditor({ macro, onDone }: { macro: Macro | null; onDone: (saved: Macro | null) => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const teams = useTeams();
  const session = useSession();
  const canShare = useAccountAbilities()('manage_shared_macros');
  const first = useAutoFocus<HTMLInputElement>();
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const [form, setForm] = useState<MacroBody>(() =>
    macro
      ? { name: macro.name, body: macro.body, visibility: macro.visibility, actions: macro.actions }
      : { name: '', body: '', visibility: 'personal', actions: {} },
  );
  const setActions = (patch: Partial<MacroActions>) =>
    setForm((f) => {
      const a: MacroActions = { ...f.actions, ...patch };
      for (const k of Object.keys(a) as (keyof MacroActions)[])
        if (a[k] === undefined || (Array.isArray(a[k]) && !a[k].length)) delete a[k];
      return { ...f, actions: a };
    });

  const insert = (v: string) => {
    const el = bodyRef.current;
    const token = `{{${v}}}`;
    const start = el?.selectionStart ?? form.body.length;
    const end = el?.selectionEnd ?? form.body.length;
    const body = form.body.slice(0, start) + token + form.body.slice(end);
    setForm((f) => ({ ...f, body }));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  const unknown = [...new Set([...form.body.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)].map((m) => m[1]!))].filter(
    (v) => !(VARIABLES as readonly string[]).includes(v),
  );
  const me = session.status === 'signed-in' ? session.me : null;
  const sample: Record<string, string> = {
    'customer.name': t('sampleCustomer'),
    'customer.first_name': t('sampleCustomer').split(' ')[0]!,
    'customer.email': 'dana@example.com',
    'agent.name': me?.user.name ?? t('sampleAgent'),
    'agent.first_name': (me?.user.name ?? t('sampleAgent')).split(/\s+/)[0]!,
    'conversation.number': '1042',
    'conversation.subject': t('sampleSubject'),
    'account.name': me?.account.name ?? 'Acme',
  };

  const save = useMutation({
    mutationFn: () => {
      const body = { ...form, name: form.name.trim() };
      return macro ? macrosApi.update(macro.id, body) : macrosApi.create(body);
    },
    onSuccess: async (res) => {
      toast(t('saved', { name: res.data.name }), 'info');
      await qc.invalidateQueries({ queryKey: keys.macros });
      onDone(res.data);
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
      aria-label={macro ? t('editTitle', { name: macro.name }) : t('newTitle')}
    >
      <h3>{macro ? t('editTitle', { name: macro.name }) : t('newTitle')}</h3>
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
      <Field label={t('body')} hint={t('bodyHint')} error={fieldError(err, 'body')}>
        <textarea
          ref={bodyRef}
          rows={6}
          value={form.body}
          maxLength={10_000}
          onChange={(e) => setForm({ ...form, body: e.target.value })}
        />
      </Field>
      <div className="macro-vars" role="group" aria-label={t('insert')}>
        <span className="ops-subtle">{t('insert')}:</span>
        {VARIABLES.map((v) => (
          <button key={v} type="button" className="button small macro-var" onClick={() => insert(v)}>
            {`{{${v}}}`}
          </button>
        ))}
      </div>
      {form.body.trim() && (
        <div className="macro-preview" aria-live="polite">
          <div className="tp-field-label">{t('samplePreview')}</div>
          <div className="macro-preview-body" data-testid="macro-sample-preview">
            {renderSample(form.body, sample)}
          </div>
          {unknown.length > 0 && (
            <span className="form-error" role="alert">
              {t('unknownVars', { list: unknown.map((v) => `{{${v}}}`).join(', ') })}
            </span>
          )}
        </div>
      )}

      <fieldset className="ops-checks">
        <legend className="tp-field-label">{t('visibility')}</legend>
        <label className="ops-check">
          <input
            type="radio"
            name="macro-visibility"
            checked={form.visibility === 'personal'}
            onChange={() => setForm({ ...form, visibility: 'personal' })}
          />
          {t('visPersonal')}
        </label>
        <label className="ops-check">
          <input
            type="radio"
            name="macro-visibility"
            disabled={!canShare}
            checked={form.visibility === 'shared'}
            onChange={() => setForm({ ...form, visibility: 'shared' })}
          />
          {canShare ? t('visShared') : t('visSharedDisabled')}
        </label>
      </fieldset>

      <fieldset className="ops-checks">
        <legend className="tp-field-label">{t('actions')}</legend>
        <div className="ops-two">
          <Field label={t('status')}>
            <select
              className="select"
              value={form.actions.status ?? ''}
              onChange={(e) => setActions({ status: (e.target.value || undefined) as MacroActions['status'] })}
            >
              <option value="">{t('unchanged')}</option>
              <option value="open">{capitalize(t('statusOpen'))}</option>
              <option value="pending">{capitalize(t('statusPending'))}</option>
              <option value="resolved">{capitalize(t('statusResolved'))}</option>
            </select>
          </Field>
          <Field label={t('priority')}>
            <select
              className="select"
              value={form.actions.priority ?? ''}
              onChange={(e) => setActions({ priority: (e.target.value || undefined) as PriorityValue | undefined })}
            >
              <option value="">{t('unchanged')}</option>
              {PRIORITY_LIST.map((p) => (
                <option key={p} value={p}>
                  {capitalize(p)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('tags')} hint={listHint()} error={fieldError(err, 'actions.addTags')}>
            <ListInput value={form.actions.addTags ?? []} onChange={(addTags) => setActions({ addTags })} placeholder="refund, billing" />
          </Field>
          <Field label={t('team')} error={fieldError(err, 'actions.teamId')}>
            <select
              className="select"
              value={form.actions.teamId ?? ''}
              onChange={(e) => setActions({ teamId: e.target.value || undefined })}
            >
              <option value="">{t('unchanged')}</option>
              {teams.data?.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          </Field>
        </div>
      </fieldset>

      <ErrorBanner
        error={err}
        inline={['name', 'body', 'actions.addTags', 'actions.teamId']}
        labels={{ visibility: t('visibility'), actions: t('actions') }}
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
