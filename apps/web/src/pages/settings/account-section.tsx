import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { Field, Toggle } from '../../components/form';
import { useToast } from '../../components/toast';
import { Spinner } from '../../components/ui';
import { useAccountAbilities } from '../../hooks/useAbilities';
import { defineMessages } from '../../i18n';
import { useSession } from '../../session';
import { account, timeZones, workspaceKeys, type AccountSettings } from './api/workspace';
import { fieldError, LoadError, readableError, SectionHeader } from './people-common';
import './account-section.css';

const t = defineMessages('settings.account', {
  title: 'Account',
  intro: 'Your workspace’s name, the time zone business hours and reports use, and how agents become available.',
  readOnly: 'Only admins can change these settings.',
  name: 'Workspace name',
  nameHint: 'Shown in the sidebar and in invitations.',
  timeZone: 'Time zone',
  timeZoneHint: 'Business hours, SLA deadlines and daily reports follow this zone. Now there: {now}.',
  availableOnOpen: 'Agents become available when they open the workspace',
  availableOnOpenHint:
    'On: opening Touchpoint sets an offline agent online, so chats reach them at once. Off: agents choose “Online” themselves in the sidebar.',
  save: 'Save changes',
  saving: 'Saving…',
  saved: 'Account settings saved.',
  enterName: 'Enter a name for the workspace.',
  unchanged: 'Nothing to save: no setting changed.',
});

export default function AccountSection() {
  const query = useQuery({ queryKey: workspaceKeys.account, queryFn: account.get });
  return (
    <div className="account-section">
      <SectionHeader title={t('title')} intro={t('intro')} />
      {query.isPending ? (
        <Spinner />
      ) : query.isError ? (
        <LoadError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <AccountForm key={query.data.data.id} initial={query.data.data} />
      )}
    </div>
  );
}

function AccountForm({ initial }: { initial: AccountSettings }) {
  const can = useAccountAbilities();
  const editable = can('manage_account');
  const session = useSession();
  const qc = useQueryClient();
  const toast = useToast();
  const zones = useMemo(() => {
    const all = timeZones();
    return all.includes(initial.timeZone) ? all : [initial.timeZone, ...all];
  }, [initial.timeZone]);
  const [name, setName] = useState(initial.name);
  const [timeZone, setTimeZone] = useState(initial.timeZone);
  const [availableOnOpen, setAvailableOnOpen] = useState(initial.settings.availableOnOpen);
  const [localError, setLocalError] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: (body: Parameters<typeof account.update>[0]) => account.update(body),
    onSuccess: async (res) => {
      qc.setQueryData(workspaceKeys.account, res);
      toast(t('saved'), 'info');
      // The sidebar shows the workspace name from GET /me.
      if (res.data.name !== initial.name || res.data.timeZone !== initial.timeZone) await session.refresh();
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) return setLocalError(t('enterName'));
    setLocalError(null);
    const current = qc.getQueryData<{ data: AccountSettings }>(workspaceKeys.account)?.data ?? initial;
    const body: Parameters<typeof account.update>[0] = {};
    if (name.trim() !== current.name) body.name = name.trim();
    if (timeZone !== current.timeZone) body.timeZone = timeZone;
    if (availableOnOpen !== current.settings.availableOnOpen) body.settings = { availableOnOpen };
    if (Object.keys(body).length === 0) return toast(t('unchanged'), 'info');
    save.mutate(body);
  }

  const now = useMemo(() => {
    try {
      return new Date().toLocaleTimeString(undefined, { timeZone, hour: 'numeric', minute: '2-digit', weekday: 'short' });
    } catch {
      return '';
    }
  }, [timeZone]);

  const err = save.error;
  const banner = err && !fieldError(err, 'name') && !fieldError(err, 'timeZone') ? readableError(err) : null;

  return (
    <form className="settings-card account-form" onSubmit={submit} noValidate>
      {!editable && (
        <p className="alert alert-info" role="note">
          {t('readOnly')}
        </p>
      )}
      <fieldset className="plain-fieldset form-grid" disabled={!editable || save.isPending}>
        {banner && (
          <div className="alert alert-error" role="alert">
            {banner}
          </div>
        )}
        <Field label={t('name')} hint={t('nameHint')} error={localError ?? fieldError(err, 'name')}>
          <input name="name" value={name} maxLength={120} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t('timeZone')} hint={t('timeZoneHint', { now })} error={fieldError(err, 'timeZone')}>
          <select className="select" name="timeZone" value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </Field>
        <Toggle
          checked={availableOnOpen}
          onChange={setAvailableOnOpen}
          label={t('availableOnOpen')}
          hint={t('availableOnOpenHint')}
          disabled={!editable}
        />
        {editable && (
          <div className="form-actions">
            <button type="submit" className="button primary">
              {save.isPending ? t('saving') : t('save')}
            </button>
          </div>
        )}
      </fieldset>
    </form>
  );
}
