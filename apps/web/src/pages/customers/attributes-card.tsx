import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../../api/client';
import type { Customer } from '../../api/customer-links';
import { useAutoFocus } from '../../components/form';
import { PlusIcon, XIcon } from '../../components/icons';
import { t } from './messages';
import { COMPANY_KEY } from './profile-card';
import { useUpdateCustomer } from './queries';

/** Free-form attributes (plan, city, account manager...) as key/value rows; `company` is edited with the profile. */
interface Row {
  id: number;
  key: string;
  value: string;
  /** The key and value this row had when editing began (null: a new row). */
  original: { key: string; value: unknown; text: string } | null;
}

const MAX_KEY = 100;
const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const shown = (attributes: Record<string, unknown>) => Object.entries(attributes).filter(([k]) => k !== COMPANY_KEY);

/**
 * The JSON merge patch from the rows: removed or renamed keys become null, new or changed values are sent as text,
 * untouched values (numbers, lists from an integration) are not sent at all, so they keep their type.
 */
export function attributesPatch(rows: Row[], removed: string[]): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const k of removed) patch[k] = null;
  for (const r of rows) {
    const key = r.key.trim();
    if (r.original && r.original.key !== key) patch[r.original.key] = null;
    if (!key) continue;
    if (!r.original || r.original.key !== key || r.original.text !== r.value) patch[key] = r.value;
  }
  return patch;
}

/** Row problems the server would refuse anyway, said next to the row. */
function rowErrors(rows: Row[]): Map<number, string> {
  const errors = new Map<number, string>();
  const seen = new Set<string>();
  for (const r of rows) {
    const key = r.key.trim();
    if (!key && r.value.trim()) errors.set(r.id, t('attributeNameMissing'));
    else if (key.length > MAX_KEY) errors.set(r.id, t('attributeNameTooLong', { max: MAX_KEY }));
    else if (key === COMPANY_KEY) errors.set(r.id, t('attributeCompany'));
    else if (key && seen.has(key)) errors.set(r.id, t('attributeDuplicate', { name: key }));
    seen.add(key);
  }
  return errors;
}

export function AttributesCard({ customer, canEdit }: { customer: Customer; canEdit: boolean }) {
  const [editing, setEditing] = useState(false);
  const entries = shown(customer.attributes);
  if (!editing && entries.length === 0 && !canEdit) return null;
  return (
    <section className="card" aria-labelledby="c360-attributes-title">
      <div className="card-head">
        <h3 className="card-title" id="c360-attributes-title">
          {t('attributes')}
        </h3>
        {canEdit && !editing && (
          <button type="button" className="button ghost small" onClick={() => setEditing(true)}>
            {entries.length === 0 ? t('addAttribute') : t('edit')}
          </button>
        )}
      </div>
      {editing ? (
        <AttributesForm customer={customer} onDone={() => setEditing(false)} />
      ) : entries.length === 0 ? (
        <p className="muted small">{t('noAttributes')}</p>
      ) : (
        <dl className="facts c360-facts">
          {entries.map(([k, v]) => (
            <div key={k} className="c360-fact">
              <dt>{k}</dt>
              <dd>{asText(v)}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

let nextRowId = 1;

function AttributesForm({ customer, onDone }: { customer: Customer; onDone(): void }) {
  const [rows, setRows] = useState<Row[]>(() => {
    const list = shown(customer.attributes).map(([k, v]) => ({
      id: nextRowId++,
      key: k,
      value: asText(v),
      original: { key: k, value: v, text: asText(v) },
    }));
    return list.length > 0 ? list : [{ id: nextRowId++, key: '', value: '', original: null }];
  });
  const [removed, setRemoved] = useState<string[]>([]);
  const [tried, setTried] = useState(false);
  const update = useUpdateCustomer(customer.id);
  const first = useAutoFocus<HTMLInputElement>();
  const errors = rowErrors(rows);

  const change = (id: number, patch: Partial<Row>) => setRows((list) => list.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const remove = (row: Row) => {
    setRows((list) => list.filter((r) => r.id !== row.id));
    if (row.original) setRemoved((list) => [...list, row.original!.key]);
  };
  const add = () => setRows((list) => [...list, { id: nextRowId++, key: '', value: '', original: null }]);

  function submit(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    if (errors.size > 0) return;
    const patch = attributesPatch(rows, removed);
    if (Object.keys(patch).length === 0) return onDone();
    update.mutate({ attributes: patch }, { onSuccess: onDone });
  }

  const err = update.error;
  const serverError = err instanceof ApiError ? (err.fieldError('attributes') ?? errorMessage(err)) : err ? errorMessage(err) : null;
  return (
    <form className="c360-form" onSubmit={submit} noValidate>
      <ul className="attr-rows">
        {rows.map((r, i) => {
          const rowError = tried ? errors.get(r.id) : undefined;
          const label = r.key.trim() || t('newAttribute');
          return (
            <li key={r.id} className={rowError ? 'attr-row has-error' : 'attr-row'}>
              <input
                ref={i === 0 ? first : undefined}
                className="attr-key"
                aria-label={t('attributeName', { n: i + 1 })}
                placeholder={t('attributeNamePlaceholder')}
                value={r.key}
                maxLength={MAX_KEY + 1}
                aria-invalid={rowError ? true : undefined}
                aria-describedby={rowError ? `attr-error-${r.id}` : undefined}
                onChange={(e) => change(r.id, { key: e.target.value })}
              />
              <input
                className="attr-value"
                aria-label={t('attributeValue', { name: label })}
                placeholder={t('attributeValuePlaceholder')}
                value={r.value}
                onChange={(e) => change(r.id, { value: e.target.value })}
              />
              <button type="button" className="icon-button" aria-label={t('removeAttribute', { name: label })} onClick={() => remove(r)}>
                <XIcon size={14} />
              </button>
              {rowError && (
                <span id={`attr-error-${r.id}`} className="form-error attr-error" role="alert">
                  {rowError}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      <button type="button" className="button ghost small attr-add" onClick={add}>
        <PlusIcon size={14} /> {t('addAttribute')}
      </button>
      {serverError && (
        <div className="alert alert-error" role="alert">
          {serverError}
        </div>
      )}
      <div className="c360-form-actions">
        <button type="submit" className="button primary small" disabled={update.isPending}>
          {update.isPending ? t('saving') : t('saveAttributes')}
        </button>
        <button type="button" className="button small" onClick={onDone} disabled={update.isPending}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
