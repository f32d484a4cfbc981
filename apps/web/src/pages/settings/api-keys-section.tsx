import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type RefObject } from 'react';
import { Dialog } from '../../components/dialog';
import { ConfirmDialog, CopyButton, Field, FormDialog, useAutoFocus } from '../../components/form';
import { PlusIcon } from '../../components/icons';
import { useToast } from '../../components/toast';
import { EmptyState, Spinner } from '../../components/ui';
import { defineMessages } from '../../i18n';
import { fullTime, relativeTime } from '../../lib/format';
import { useMe } from '../../session';
import { grantableRoles, type Role } from './api/people';
import { apiKeys, workspaceKeys, type ApiKey, type CreatedApiKey } from './api/workspace';
import { fieldError, LoadError, LoadMore, Pill, readableError, roleHint, roleLabel, SectionHeader } from './people-common';
import './api-keys-section.css';

const t = defineMessages('settings.apiKeys', {
  title: 'API keys',
  intro: 'Keys let your own systems call the REST API, acting with the role you give them. Treat a key like a password.',
  create: 'Create API key',
  name: 'Name',
  role: 'Role',
  key: 'Key',
  status: 'Status',
  lastUsed: 'Last used',
  created: 'Created',
  actions: 'Actions',
  never: 'Never',
  active: 'Active',
  revoked: 'Revoked',
  expired: 'Expired',
  expiresOn: 'Expires {when}',
  revoke: 'Revoke',
  revokeTitle: 'Revoke the key “{name}”?',
  revokeBody: 'Anything using this key stops working at once. This cannot be undone: you would create a new key.',
  revokedToast: 'Key “{name}” revoked.',
  empty: 'No API keys yet',
  emptyText: 'Create a key for each system that calls the API (a CRM sync, a script), so you can revoke one without the others.',
  dialogTitle: 'Create API key',
  nameLabel: 'Name',
  nameHint: 'What uses it, e.g. “CRM sync”.',
  roleLabel: 'Role',
  expires: 'Expires',
  expiresNever: 'Never',
  expires30: 'In 30 days',
  expires90: 'In 90 days',
  expires365: 'In a year',
  cancel: 'Cancel',
  submit: 'Create key',
  creating: 'Creating…',
  enterName: 'Enter a name for the key.',
  secretTitle: 'Copy your new API key',
  secretIntro: 'Key “{name}” acts as {role}. Send it as a Bearer token: Authorization: Bearer <key>.',
  secretLabel: 'API key',
  secretWarning:
    'This is the only time the key is shown. Copy it now and store it somewhere safe; if you lose it, revoke it and create another.',
  copy: 'Copy key',
  done: 'I have copied it',
});

const EXPIRY_DAYS = { never: 0, '30': 30, '90': 90, '365': 365 } as const;

function statusOf(k: ApiKey): 'active' | 'revoked' | 'expired' {
  if (k.revokedAt) return 'revoked';
  if (k.expiresAt && new Date(k.expiresAt).getTime() <= Date.now()) return 'expired';
  return 'active';
}

export default function ApiKeysSection() {
  const query = useInfiniteQuery({
    queryKey: workspaceKeys.apiKeys,
    queryFn: ({ pageParam }) => apiKeys.page(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.page.nextCursor ?? undefined,
  });
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const list = query.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <div className="api-keys-section">
      <SectionHeader
        title={t('title')}
        intro={t('intro')}
        actions={
          <button type="button" className="button primary" onClick={() => setCreating(true)}>
            <PlusIcon /> {t('create')}
          </button>
        }
      />
      {query.isPending ? (
        <Spinner />
      ) : query.isError ? (
        <LoadError error={query.error} onRetry={() => void query.refetch()} />
      ) : list.length === 0 ? (
        <div className="settings-card">
          <EmptyState
            title={t('empty')}
            action={
              <button type="button" className="button" onClick={() => setCreating(true)}>
                {t('create')}
              </button>
            }
          >
            {t('emptyText')}
          </EmptyState>
        </div>
      ) : (
        <div className="settings-table-wrap">
          <table className="settings-table api-keys-table">
            <thead>
              <tr>
                <th scope="col">{t('name')}</th>
                <th scope="col">{t('role')}</th>
                <th scope="col" className="optional">
                  {t('key')}
                </th>
                <th scope="col">{t('status')}</th>
                <th scope="col" className="optional">
                  {t('lastUsed')}
                </th>
                <th scope="col" className="actions">
                  <span className="visually-hidden">{t('actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((k) => {
                const status = statusOf(k);
                return (
                  <tr key={k.id} className={status === 'active' ? undefined : 'inactive'} data-api-key-id={k.id}>
                    <td>
                      <span className="person-name">{k.name}</span>
                      <span className="person-sub key-created">
                        {t('created')} <time title={fullTime(k.createdAt)}>{relativeTime(k.createdAt)}</time>
                      </span>
                    </td>
                    <td>{roleLabel(k.role)}</td>
                    <td className="optional">
                      <code className="key-prefix">tp_{k.prefix}_…</code>
                    </td>
                    <td>
                      <span className="status-stack">
                        {status === 'active' ? (
                          <Pill tone="ok">{t('active')}</Pill>
                        ) : status === 'revoked' ? (
                          <Pill tone="off">{t('revoked')}</Pill>
                        ) : (
                          <Pill tone="warn">{t('expired')}</Pill>
                        )}
                        {status === 'active' && k.expiresAt && (
                          <span className="form-hint">{t('expiresOn', { when: fullTime(k.expiresAt) })}</span>
                        )}
                      </span>
                    </td>
                    <td className="optional">
                      {k.lastUsedAt ? <time title={fullTime(k.lastUsedAt)}>{relativeTime(k.lastUsedAt)}</time> : t('never')}
                    </td>
                    <td className="actions">
                      {status !== 'revoked' && (
                        <button type="button" className="button small danger-outline" onClick={() => setRevoking(k)}>
                          {t('revoke')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <LoadMore hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onMore={() => void query.fetchNextPage()} />
        </div>
      )}
      {creating && <CreateKeyDialog onClose={() => setCreating(false)} />}
      {revoking && <RevokeKeyDialog apiKey={revoking} onClose={() => setRevoking(null)} />}
    </div>
  );
}

function RevokeKeyDialog({ apiKey, onClose }: { apiKey: ApiKey; onClose: () => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  return (
    <ConfirmDialog
      title={t('revokeTitle', { name: apiKey.name })}
      body={<p>{t('revokeBody')}</p>}
      confirmLabel={t('revoke')}
      tone="danger"
      onConfirm={async () => {
        await apiKeys.revoke(apiKey.id);
        await qc.invalidateQueries({ queryKey: workspaceKeys.apiKeys });
        toast(t('revokedToast', { name: apiKey.name }), 'info');
      }}
      onClose={onClose}
    />
  );
}

function CreateKeyDialog({ onClose }: { onClose: () => void }) {
  const me = useMe();
  const qc = useQueryClient();
  const roles = grantableRoles(me.role);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [expiry, setExpiry] = useState<keyof typeof EXPIRY_DAYS>('never');
  const [localError, setLocalError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const nameRef = useAutoFocus<HTMLInputElement>();
  const create = useMutation({
    mutationFn: () => {
      const days = EXPIRY_DAYS[expiry];
      return apiKeys.create({
        name: name.trim(),
        role,
        ...(days ? { expiresAt: new Date(Date.now() + days * 86_400_000).toISOString() } : {}),
      });
    },
    onSuccess: (res) => {
      setCreated(res.data);
      void qc.invalidateQueries({ queryKey: workspaceKeys.apiKeys });
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) return setLocalError(t('enterName'));
    setLocalError(null);
    create.mutate();
  }

  if (created) return <SecretDialog created={created} onClose={onClose} />;

  const err = create.error;
  const nameError = localError ?? fieldError(err, 'name');
  const banner = err && !fieldError(err, 'name') ? readableError(err) : null;
  return (
    <FormDialog
      title={t('dialogTitle')}
      formId="api-key-form"
      submitLabel={t('submit')}
      pendingLabel={t('creating')}
      pending={create.isPending}
      banner={banner}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field label={t('nameLabel')} hint={t('nameHint')} error={nameError}>
        <input ref={nameRef} name="name" value={name} maxLength={120} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label={t('roleLabel')} hint={roleHint(role)} error={fieldError(err, 'role')}>
        <select className="select" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {roleLabel(r)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('expires')} error={fieldError(err, 'expiresAt')}>
        <select className="select" value={expiry} onChange={(e) => setExpiry(e.target.value as keyof typeof EXPIRY_DAYS)}>
          <option value="never">{t('expiresNever')}</option>
          <option value="30">{t('expires30')}</option>
          <option value="90">{t('expires90')}</option>
          <option value="365">{t('expires365')}</option>
        </select>
      </Field>
    </FormDialog>
  );
}

function SecretDialog({ created, onClose }: { created: CreatedApiKey; onClose: () => void }) {
  const ref = useAutoFocus<HTMLInputElement>();
  return (
    <Dialog
      title={t('secretTitle')}
      onClose={onClose}
      footer={
        <button type="button" className="button primary" onClick={onClose}>
          {t('done')}
        </button>
      }
    >
      <div className="form-grid">
        <p className="secret-intro">{t('secretIntro', { name: created.name, role: roleLabel(created.role) })}</p>
        <Field label={t('secretLabel')}>
          <SecretBox secret={created.secret} inputRef={ref} />
        </Field>
        <p className="warning-note" role="note">
          {t('secretWarning')}
        </p>
      </div>
    </Dialog>
  );
}

function SecretBox({
  secret,
  inputRef,
  ...aria
}: {
  secret: string;
  inputRef: RefObject<HTMLInputElement | null>;
  id?: string;
  'aria-describedby'?: string;
}) {
  return (
    <div className="secret-box">
      <input ref={inputRef} {...aria} readOnly value={secret} data-testid="api-key-secret" onFocus={(e) => e.currentTarget.select()} />
      <CopyButton text={secret} label={t('copy')} />
    </div>
  );
}
