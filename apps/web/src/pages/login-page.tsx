import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { auth } from '../api/endpoints';
import { linkHandler } from '../router';
import { useSession } from '../session';
import { AuthLayout, Field } from './auth-layout';
import { t } from './auth-messages';
import { useSignupOpen } from './use-auth-options';

/** Turns the login failure codes of the API into sentences a person can act on. */
function loginErrorMessage(err: unknown): string {
  if (!(err instanceof ApiError)) return t('errorGeneric');
  switch (err.code) {
    case 'invalid_credentials':
      return t('errorInvalidCredentials');
    case 'account_locked': {
      const seconds = Number(err.body.retryAfterSeconds);
      const wait =
        Number.isFinite(seconds) && seconds > 0
          ? t(seconds > 60 ? 'lockedInMinutes' : 'lockedInMinute', { n: Math.max(1, Math.ceil(seconds / 60)) })
          : t('lockedInFewMinutes');
      return t('errorAccountLocked', { wait });
    }
    case 'rate_limited':
      return t('errorRateLimited');
    case 'validation_failed':
      return t('errorValidation');
    case 'network_error':
      return err.detail;
    default:
      return err.detail || t('errorSignInFailed');
  }
}

export function LoginPage() {
  const { refresh } = useSession();
  const signupOpen = useSignupOpen();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!email.trim() || !password) return setError(t('enterEmailPassword'));
    setBusy(true);
    setError(null);
    try {
      await auth.login({ email: email.trim(), password });
      // Signed in: the app shell redirects to the inbox (or to where the user was going).
      await refresh();
    } catch (err) {
      setError(loginErrorMessage(err));
      setBusy(false);
    }
  }

  return (
    <AuthLayout
      title={t('signIn')}
      subtitle={t('signInSubtitle')}
      footer={
        signupOpen ? (
          <>
            {t('newToTouchpoint')}{' '}
            <a href="/signup" onClick={linkHandler('/signup')}>
              {t('createAccount')}
            </a>
          </>
        ) : (
          t('askForInvite')
        )
      }
    >
      <form className="form" onSubmit={submit} noValidate>
        {error && (
          <div className="alert alert-error" role="alert">
            {error}
          </div>
        )}
        <Field label={t('email')}>
          <input
            type="email"
            name="email"
            autoComplete="username"
            autoFocus
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        <Field label={t('password')}>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <button type="submit" className="button primary block" disabled={busy}>
          {busy ? t('signingIn') : t('signIn')}
        </button>
      </form>
    </AuthLayout>
  );
}
