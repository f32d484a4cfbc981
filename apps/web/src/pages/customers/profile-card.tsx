import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../../api/client';
import type { Customer, UpdateCustomerBody } from '../../api/customer-links';
import { Field, Toggle, useAutoFocus } from '../../components/form';
import { ClockIcon, HashIcon, MailIcon, PhoneIcon, UserIcon } from '../../components/icons';
import { linkHandler } from '../../router';
import { t } from './messages';
import { useUpdateCustomer } from './queries';

/** The profile's company lives in the attributes (the model has no column for it), under this key. */
export const COMPANY_KEY = 'company';

const asText = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** The customer's clock, when their time zone is known ("14:05"). */
function localTime(timeZone: string | null): string | null {
  if (!timeZone) return null;
  try {
    return new Date().toLocaleTimeString(undefined, { timeZone, hour: 'numeric', minute: '2-digit' });
  } catch {
    return null;
  }
}

let zones: string[] | undefined;
const timeZones = () => (zones ??= typeof Intl.supportedValuesOf === 'function' ? [...Intl.supportedValuesOf('timeZone'), 'UTC'] : ['UTC']);

interface Draft {
  name: string;
  email: string;
  phone: string;
  company: string;
  segment: string;
  language: string;
  timeZone: string;
  vip: boolean;
}

const draftOf = (c: Customer): Draft => ({
  name: c.name ?? '',
  email: c.email ?? '',
  phone: c.phone ?? '',
  company: asText(c.attributes[COMPANY_KEY]),
  segment: c.segment ?? '',
  language: c.language ?? '',
  timeZone: c.timeZone ?? '',
  vip: c.vip,
});

/** Only what changed, with empty text as null (clears the field). */
export function profilePatch(before: Draft, after: Draft): UpdateCustomerBody {
  const patch: UpdateCustomerBody = {};
  const text = ['name', 'email', 'phone', 'segment', 'language', 'timeZone'] as const;
  for (const k of text) {
    const v = after[k].trim();
    if (v !== before[k].trim()) patch[k] = v === '' ? null : v;
  }
  if (after.vip !== before.vip) patch.vip = after.vip;
  const company = after.company.trim();
  if (company !== before.company.trim()) patch.attributes = { [COMPANY_KEY]: company === '' ? null : company };
  return patch;
}

/** A 409 names the customer who already has the address: the error links to them. */
function conflictOf(err: unknown): { field: 'email' | 'phone'; customerId: string | null; text: string } | null {
  if (!(err instanceof ApiError) || err.code !== 'conflict') return null;
  const kind = err.body.kind;
  if (kind !== 'email' && kind !== 'phone') return null;
  return { field: kind, customerId: typeof err.body.customerId === 'string' ? err.body.customerId : null, text: err.detail };
}

export function ProfileCard({ customer, canEdit }: { customer: Customer; canEdit: boolean }) {
  const [editing, setEditing] = useState(false);
  const tz = localTime(customer.timeZone);
  const company = asText(customer.attributes[COMPANY_KEY]);
  return (
    <section className="card c360-profile" aria-labelledby="c360-profile-title">
      <div className="card-head">
        <h3 className="card-title" id="c360-profile-title">
          {t('profile')}
        </h3>
        {canEdit && !editing && (
          <button type="button" className="button ghost small" onClick={() => setEditing(true)}>
            {t('edit')}
          </button>
        )}
      </div>
      {editing ? (
        <ProfileForm customer={customer} onDone={() => setEditing(false)} />
      ) : (
        <dl className="facts c360-facts">
          <dt>
            <UserIcon size={14} /> {t('name')}
          </dt>
          <dd>{customer.name || '—'}</dd>
          <dt>
            <MailIcon size={14} /> {t('email')}
          </dt>
          <dd>{customer.email ?? '—'}</dd>
          <dt>
            <PhoneIcon size={14} /> {t('phone')}
          </dt>
          <dd>{customer.phone ?? '—'}</dd>
          <dt>{t('company')}</dt>
          <dd>{company || '—'}</dd>
          <dt>{t('segment')}</dt>
          <dd>{customer.segment || '—'}</dd>
          <dt>{t('language')}</dt>
          <dd>{customer.language || '—'}</dd>
          <dt>
            <ClockIcon size={14} /> {t('timeZone')}
          </dt>
          <dd>{customer.timeZone ? (tz ? t('timeZoneNow', { zone: customer.timeZone, time: tz }) : customer.timeZone) : '—'}</dd>
          {customer.externalId && (
            <>
              <dt>
                <HashIcon size={14} /> {t('externalId')}
              </dt>
              <dd>{customer.externalId}</dd>
            </>
          )}
        </dl>
      )}
    </section>
  );
}

function ProfileForm({ customer, onDone }: { customer: Customer; onDone(): void }) {
  // The profile as it was when editing began: only fields the agent changed are sent, so a teammate's edit of
  // another field meanwhile is kept.
  const [initial] = useState(() => draftOf(customer));
  const [draft, setDraft] = useState(initial);
  const update = useUpdateCustomer(customer.id);
  const first = useAutoFocus<HTMLInputElement>();
  const set =
    <K extends keyof Draft>(k: K) =>
    (v: Draft[K]) =>
      setDraft((d) => ({ ...d, [k]: v }));
  const err = update.error;
  const conflict = conflictOf(err);
  const fieldError = (f: string) => (err instanceof ApiError ? (err.fieldError(f) ?? null) : null);
  const companyError = fieldError(`attributes.${COMPANY_KEY}`) ?? fieldError('attributes');
  const known = ['name', 'email', 'phone', 'segment', 'language', 'timeZone'].some((f) => fieldError(f)) || !!companyError || !!conflict;

  function submit(e: FormEvent) {
    e.preventDefault();
    const patch = profilePatch(initial, draft);
    if (Object.keys(patch).length === 0) return onDone();
    update.mutate(patch, { onSuccess: onDone });
  }

  return (
    <form className="c360-form" onSubmit={submit} noValidate>
      <Field label={t('name')} error={fieldError('name')}>
        <input ref={first} value={draft.name} maxLength={200} autoComplete="off" onChange={(e) => set('name')(e.target.value)} />
      </Field>
      <Field label={t('email')} error={fieldError('email')} hint={t('emailHint')}>
        <input type="email" value={draft.email} maxLength={320} autoComplete="off" onChange={(e) => set('email')(e.target.value)} />
      </Field>
      <Field label={t('phone')} error={fieldError('phone')} hint={t('phoneHint')}>
        <input type="tel" value={draft.phone} maxLength={64} autoComplete="off" onChange={(e) => set('phone')(e.target.value)} />
      </Field>
      <Field label={t('company')} error={companyError}>
        <input value={draft.company} maxLength={200} autoComplete="off" onChange={(e) => set('company')(e.target.value)} />
      </Field>
      <div className="c360-form-row">
        <Field label={t('segment')} error={fieldError('segment')}>
          <input value={draft.segment} maxLength={100} autoComplete="off" onChange={(e) => set('segment')(e.target.value)} />
        </Field>
        <Field label={t('language')} error={fieldError('language')} hint={t('languageHint')}>
          <input value={draft.language} maxLength={35} autoComplete="off" onChange={(e) => set('language')(e.target.value)} />
        </Field>
      </div>
      <Field label={t('timeZone')} error={fieldError('timeZone')} hint={t('timeZoneHint')}>
        <input
          value={draft.timeZone}
          maxLength={64}
          list="c360-time-zones"
          autoComplete="off"
          onChange={(e) => set('timeZone')(e.target.value)}
        />
      </Field>
      <datalist id="c360-time-zones">
        {timeZones().map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <Toggle checked={draft.vip} onChange={set('vip')} label={t('vipLabel')} />
      {conflict && (
        <div className="alert alert-error" role="alert">
          {conflict.text}
          {conflict.customerId && (
            <>
              {' '}
              <a href={`/customers/${conflict.customerId}`} onClick={linkHandler(`/customers/${conflict.customerId}`)}>
                {t('openThatCustomer')}
              </a>
            </>
          )}
        </div>
      )}
      {err && !known && (
        <div className="alert alert-error" role="alert">
          {errorMessage(err)}
        </div>
      )}
      <div className="c360-form-actions">
        <button type="submit" className="button primary small" disabled={update.isPending}>
          {update.isPending ? t('saving') : t('save')}
        </button>
        <button type="button" className="button small" onClick={onDone} disabled={update.isPending}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
