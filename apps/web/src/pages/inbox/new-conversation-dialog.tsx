import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../../api/client';
import { conversations } from '../../api/endpoints';
import type { Conversation } from '../../api/types';
import { Dialog } from '../../components/dialog';
import { newClientId } from '../../lib/format';
import { useMe } from '../../session';
import { Field } from '../auth-layout';
import { t } from './messages';

/** Start a conversation with a (new or known) customer: we write to them, or we log what they sent us. */
export function NewConversationDialog({ onClose, onCreated }: { onClose(): void; onCreated(c: Conversation): void }) {
  const me = useMe();
  const [form, setForm] = useState({ name: '', email: '', subject: '', body: '', direction: 'outgoing' as 'outgoing' | 'incoming' });
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!form.name.trim() && !form.email.trim()) return setError(t('newNameOrEmail'));
    if (!form.body.trim()) return setError(t('newWriteFirst'));
    setBusy(true);
    setError(null);
    try {
      const res = await conversations.create({
        customer: { ...(form.name.trim() ? { name: form.name.trim() } : {}), ...(form.email.trim() ? { email: form.email.trim() } : {}) },
        ...(form.subject.trim() ? { subject: form.subject.trim() } : {}),
        // Whoever starts a conversation owns it until they hand it over.
        assigneeId: me.user.id,
        message: { body: form.body.trim(), kind: form.direction, clientMessageId: newClientId() },
      });
      onCreated(res.data.conversation);
    } catch (err) {
      setError(err instanceof ApiError ? err : errorMessage(err));
      setBusy(false);
    }
  }

  const apiError = error instanceof ApiError ? error : null;
  const banner = typeof error === 'string' ? error : apiError ? (apiError.errors.length ? t('checkFields') : errorMessage(apiError)) : null;

  return (
    <Dialog
      title={t('newConversation')}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" form="new-conversation" className="button primary" disabled={busy}>
            {busy ? t('creating') : t('createConversation')}
          </button>
        </>
      }
    >
      <form id="new-conversation" className="form" onSubmit={submit} noValidate>
        {banner && (
          <div className="alert alert-error" role="alert">
            {banner}
          </div>
        )}
        <div className="form-row">
          <Field label={t('customerName')} error={apiError?.fieldError('name')}>
            <input name="customerName" autoFocus value={form.name} onChange={set('name')} placeholder={t('customerNamePlaceholder')} />
          </Field>
          <Field label={t('customerEmail')} error={apiError?.fieldError('email')}>
            <input
              name="customerEmail"
              type="email"
              value={form.email}
              onChange={set('email')}
              placeholder={t('customerEmailPlaceholder')}
            />
          </Field>
        </div>
        <Field label={t('subjectOptional')} error={apiError?.fieldError('subject')}>
          <input name="subject" value={form.subject} onChange={set('subject')} placeholder={t('subjectPlaceholder')} />
        </Field>
        <fieldset className="radio-group">
          <legend className="field-label">{t('firstMessage')}</legend>
          <label>
            <input
              type="radio"
              name="direction"
              checked={form.direction === 'outgoing'}
              onChange={() => setForm((f) => ({ ...f, direction: 'outgoing' }))}
            />{' '}
            {t('directionOutgoing')}
          </label>
          <label>
            <input
              type="radio"
              name="direction"
              checked={form.direction === 'incoming'}
              onChange={() => setForm((f) => ({ ...f, direction: 'incoming' }))}
            />{' '}
            {t('directionIncoming')}
          </label>
        </fieldset>
        <Field label={t('message')} error={apiError?.fieldError('body')}>
          <textarea
            name="body"
            rows={5}
            value={form.body}
            onChange={set('body')}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) (e.currentTarget.form as HTMLFormElement).requestSubmit();
            }}
            placeholder={form.direction === 'outgoing' ? t('outgoingPlaceholder') : t('incomingPlaceholder')}
          />
        </Field>
      </form>
    </Dialog>
  );
}
