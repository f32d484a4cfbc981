import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api/client';
import { auth } from '../api/endpoints';
import { linkHandler } from '../router';
import { useSession } from '../session';
import { useSignupOpen } from './use-auth-options';
import { AuthLayout, Field } from './auth-layout';

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
    if (!form.accountName.trim() || !form.name.trim() || !form.email.trim())
      return setError('Fill in every field to create your workspace.');
    if (form.password.length < MIN_PASSWORD) return setError(`Use at least ${MIN_PASSWORD} characters for the password.`);
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
        ? 'An account with this email already exists. Sign in instead.'
        : apiError && apiError.errors.length === 0
          ? errorMessage(apiError)
          : apiError
            ? 'Check the highlighted fields.'
            : null;

  if (!signupOpen)
    return (
      <AuthLayout
        title="Sign-up is closed"
        subtitle="This Touchpoint server does not create new workspaces. Ask your administrator for an invitation."
        footer={
          <a href="/login" onClick={linkHandler('/login')}>
            Back to sign in
          </a>
        }
      >
        {null}
      </AuthLayout>
    );

  return (
    <AuthLayout
      title="Create your workspace"
      subtitle="Set up Touchpoint for your team in under a minute."
      footer={
        <>
          Already have an account?{' '}
          <a href="/login" onClick={linkHandler('/login')}>
            Sign in
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
        <Field label="Company or team name" error={apiError?.fieldError('accountName')}>
          <input
            name="accountName"
            autoComplete="organization"
            autoFocus
            required
            value={form.accountName}
            onChange={set('accountName')}
            placeholder="Acme Inc."
          />
        </Field>
        <Field label="Your name" error={apiError?.fieldError('name')}>
          <input name="name" autoComplete="name" required value={form.name} onChange={set('name')} placeholder="Ada Lovelace" />
        </Field>
        <Field label="Work email" error={apiError?.fieldError('email')}>
          <input
            type="email"
            name="email"
            autoComplete="email"
            required
            value={form.email}
            onChange={set('email')}
            placeholder="ada@acme.com"
          />
        </Field>
        <Field label="Password" error={apiError?.fieldError('password')} hint={`At least ${MIN_PASSWORD} characters.`}>
          <input type="password" name="password" autoComplete="new-password" required value={form.password} onChange={set('password')} />
        </Field>
        <button type="submit" className="button primary block" disabled={busy}>
          {busy ? 'Creating workspace…' : 'Create workspace'}
        </button>
      </form>
    </AuthLayout>
  );
}
