import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api/client';
import { auth } from '../api/endpoints';
import { linkHandler } from '../router';
import { useSession } from '../session';
import { useSignupOpen } from './use-auth-options';
import { AuthLayout, Field } from './auth-layout';
import { t } from './auth-messages';

const MIN_PASSWORD = 10;

export function SignupPage() {
  const { refresh } = useSession();
  const [form, setForm] = useState({ accountName: '', name: '', email: '', password: '' });
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const signupOpen = useSignupOpen();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!form.accountName.trim() || !form.name.trim() || !form.email.trim()) return setError(t('fillEveryField'));
    if (form.password.length < MIN_PASSWORD) return setError(t('passwordTooShort', { n: MIN_PASSWORD }));
    setBusy(true);
    setError(null);
    try {
      await auth.signup({
        accountName: form.accountName.trim(),
        name: form.name.trim(),
        email: form.email.trim(),
        password: form.password,
      });
      // Signed in: the app shell redirects to the inbox (or to where the user was going).
      await refresh();
    } catch (err) {
      setError(err instanceof ApiError ? err : errorMessage(err));
      setBusy(false);
    }
  }

  const apiError = error instanceof ApiError ? error : null;
  const banner =
    typeof error === 'string'
      ? error
      : apiError?.code === 'conflict'
        ? t('emailExists')
        : apiError && apiError.errors.length === 0
          ? errorMessage(apiError)
          : apiError
            ? t('checkFields')
            : null;

  if (!signupOpen)
    return (
      <AuthLayout
        title={t('signupClosed')}
        subtitle={t('signupClosedSubtitle')}
        footer={
          <a href="/login" onClick={linkHandler('/login')}>
            {t('backToSignIn')}
          </a>
        }
      >
        {null}
      </AuthLayout>
    );

  return (
    <AuthLayout
      title={t('createWorkspaceTitle')}
      subtitle={t('createWorkspaceSubtitle')}
      footer={
        <>
          {t('haveAccount')}{' '}
          <a href="/login" onClick={linkHandler('/login')}>
            {t('signIn')}
          </a>
        </>
      }
    >
      <form className="form" onSubmit={submit} noValidate>
        {banner && (
          <div className="alert alert-error" role="alert">
            {banner}
          </div>
        )}
        <Field label={t('accountName')} error={apiError?.fieldError('accountName')}>
          <input
            name="accountName"
            autoComplete="organization"
            autoFocus
            required
            value={form.accountName}
            onChange={set('accountName')}
            placeholder={t('accountNamePlaceholder')}
          />
        </Field>
        <Field label={t('yourName')} error={apiError?.fieldError('name')}>
          <input name="name" autoComplete="name" required value={form.name} onChange={set('name')} placeholder={t('yourNamePlaceholder')} />
        </Field>
        <Field label={t('workEmail')} error={apiError?.fieldError('email')}>
          <input
            type="email"
            name="email"
            autoComplete="email"
            required
            value={form.email}
            onChange={set('email')}
            placeholder={t('workEmailPlaceholder')}
          />
        </Field>
        <Field label={t('password')} error={apiError?.fieldError('password')} hint={t('passwordHint', { n: MIN_PASSWORD })}>
          <input type="password" name="password" autoComplete="new-password" required value={form.password} onChange={set('password')} />
        </Field>
        <button type="submit" className="button primary block" disabled={busy}>
          {busy ? t('creatingWorkspace') : t('createWorkspace')}
        </button>
      </form>
    </AuthLayout>
  );
}
