import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../../api/client';
import type { AddIdentityBody, Customer, CustomerIdentity } from '../../api/customer-links';
import { ConfirmDialog } from '../../components/form';
import { PlusIcon, XIcon } from '../../components/icons';
import { linkHandler } from '../../router';
import { t } from './messages';
import { useAddIdentity, useRemoveIdentity } from './queries';

type AddableKind = Exclude<AddIdentityBody['kind'], 'channel_handle'>;
const ADDABLE: AddableKind[] = ['email', 'phone', 'external_id'];
const KIND_LABEL = {
  email: () => t('kindEmail'),
  phone: () => t('kindPhone'),
  external_id: () => t('kindExternalId'),
  channel_handle: () => t('kindHandle'),
} satisfies Record<CustomerIdentity['kind'], () => string>;
const PLACEHOLDER: Record<AddableKind, () => string> = {
  email: () => 'name@example.com',
  phone: () => '+1 415 555 0100',
  external_id: () => t('externalIdPlaceholder'),
};

/** Every way the customer is recognised (emails, phones, ids, channel handles): list, add, remove. */
export function IdentitiesCard({ customer, canManage }: { customer: Customer; canManage: boolean }) {
  const identities = customer.identities ?? [];
  const [removing, setRemoving] = useState<CustomerIdentity | null>(null);
  const [adding, setAdding] = useState(false);
  const remove = useRemoveIdentity(customer.id);
  return (
    <section className="card" aria-labelledby="c360-identities-title">
      <div className="card-head">
        <h3 className="card-title" id="c360-identities-title">
          {t('identities')}
        </h3>
        {canManage && !adding && (
          <button type="button" className="button ghost small" onClick={() => setAdding(true)}>
            <PlusIcon size={14} /> {t('addIdentity')}
          </button>
        )}
      </div>
      {identities.length === 0 ? (
        <p className="muted small">{t('noIdentities')}</p>
      ) : (
        <ul className="identity-list">
          {identities.map((i) => (
            <li key={i.id}>
              <span className="identity-kind">{KIND_LABEL[i.kind]()}</span>
              <span className="identity-value" title={i.value}>
                {i.value}
              </span>
              {(i.value === customer.email || i.value === customer.phone || i.value === customer.externalId) && (
                <span className="badge">{t('primary')}</span>
              )}
              {i.verified && <span className="badge verified">{t('verified')}</span>}
              {canManage && (
                <button
                  type="button"
                  className="icon-button identity-remove"
                  aria-label={t('removeIdentity', { value: i.value })}
                  onClick={() => setRemoving(i)}
                >
                  <XIcon size={14} />
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {adding && <AddIdentityForm customerId={customer.id} onDone={() => setAdding(false)} />}
      {removing && (
        <ConfirmDialog
          title={t('removeIdentityTitle')}
          body={<p>{t('removeIdentityBody', { value: removing.value })}</p>}
          confirmLabel={t('remove')}
          tone="danger"
          onConfirm={() => remove.mutateAsync(removing.id)}
          onClose={() => setRemoving(null)}
        />
      )}
    </section>
  );
}

function AddIdentityForm({ customerId, onDone }: { customerId: string; onDone(): void }) {
  const [kind, setKind] = useState<AddableKind>('email');
  const [value, setValue] = useState('');
  const add = useAddIdentity(customerId);
  const err = add.error;
  const owner = err instanceof ApiError && err.code === 'conflict' && typeof err.body.customerId === 'string' ? err.body.customerId : null;
  const message = err instanceof ApiError ? (err.fieldError('value') ?? errorMessage(err)) : err ? errorMessage(err) : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!value.trim()) return;
    add.mutate({ kind, value: value.trim() }, { onSuccess: onDone });
  }

  return (
    <form className="identity-add" onSubmit={submit} noValidate>
      <select
        className="select"
        aria-label={t('identityKind')}
        value={kind}
        onChange={(e) => setKind(e.target.value as AddableKind)}
        // The first field of the form: focus lands here when it opens.
        autoFocus
      >
        {ADDABLE.map((k) => (
          <option key={k} value={k}>
            {KIND_LABEL[k]()}
          </option>
        ))}
      </select>
      <input
        className="identity-input"
        aria-label={t('identityValue')}
        placeholder={PLACEHOLDER[kind]()}
        type={kind === 'email' ? 'email' : kind === 'phone' ? 'tel' : 'text'}
        value={value}
        maxLength={320}
        aria-invalid={message ? true : undefined}
        aria-describedby={message ? 'identity-add-error' : undefined}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && onDone()}
      />
      <div className="identity-add-actions">
        <button type="submit" className="button primary small" disabled={add.isPending || !value.trim()}>
          {t('add')}
        </button>
        <button type="button" className="button small" onClick={onDone}>
          {t('cancel')}
        </button>
      </div>
      {message && (
        <p id="identity-add-error" className="form-error identity-add-error" role="alert">
          {message}
          {owner && (
            <>
              {' '}
              <a href={`/customers/${owner}`} onClick={linkHandler(`/customers/${owner}`)}>
                {t('openThatCustomer')}
              </a>
            </>
          )}
        </p>
      )}
    </form>
  );
}
